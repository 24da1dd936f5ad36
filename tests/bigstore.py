"""A generated store of many projects (text documents in the sample's layout, imported)."""

from pathlib import Path

from sqlalchemy import Engine

from store.db import open_database
from store.documents import parse_file
from store.importer import import_document

LONG_CODE = "370222" + "P" * 3 + "1234567890" * 5 + "ABCD"  # 63 characters
TOPICS = (
    "校舍维修",
    "道路养护",
    "公交补贴",
    "防汛抗旱",
    "养老服务",
    "就业培训",
    "污水处理",
    "文物保护",
)


def project_text(number: int, code: str) -> str:
    """One project's 绩效目标表 in Word's text export."""
    topic = TOPICS[number % len(TOPICS)]
    name = f"{topic}专项经费（{number:03d}）"
    budget = 100.0 + number
    plan = "".join(f"\t{budget * share:.2f}\n" for share in (0.2, 0.5, 0.8, 1.0))
    rows = [
        ("产出指标", "数量指标", f"{topic}完成数量", "≥10个"),
        ("", "成本指标", "项目总成本", f"≤{budget}万元"),
        ("效益指标", "社会效益指标", f"{topic}社会效益", "明显提升"),
        ("满意度指标", "服务对象满意度指标", f"{topic}服务满意度", "≥90%"),
    ]
    table = "\n".join(f"\t{a}\n\t{b}\n\t{c}\n\t反映{c}\n\t{v}\n\t计划标准\n" for a, b, c, v in rows)
    return "\n".join(
        [
            f"{number}.{name}绩效目标表",
            "\t001001青岛市某单位本级\n\t单位：万元\n",
            f"\t项目编码\n\t{code}\n\t项目名称\n\t{name}\n",
            f"\t预算规模及资金用途\n\t预算数\n\t{budget:.2f}\n\t其中：财政资金\n\t{budget:.2f}\n"
            "\t其他资金\n\t \n",
            f"\t\n\t用于{topic}相关支出。\n",
            "\t资金支出计划（%）\n\t3月底\n\t6月底\n\t10月底\n\t12月底\n",
            "\t\n" + plan,
            f"\t绩效目标\n\t1.完成{topic}年度任务。\n",
            "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n\t指标值确定依据\n",
            table,
        ]
    )


def big_store(folder: Path, projects: int = 210, per_document: int = 30) -> Engine:
    """A SQLite store of `projects` generated projects, the first with a 63-character code."""
    engine = open_database(f"sqlite:///{folder / 'big.db'}")
    for start in range(0, projects, per_document):
        numbers = range(start + 1, min(projects, start + per_document) + 1)
        body = "\n".join(
            project_text(n, LONG_CODE if n == 1 else f"370222P{n:012d}Q") for n in numbers
        )
        path = folder / f"dept-{start:03d}.txt"
        path.write_text(f"\n青岛市某局\n2022年部门预算项目绩效目标\n\n{body}", encoding="utf-8")
        import_document(engine, parse_file(path))
    return engine

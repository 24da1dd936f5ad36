"""Write small documents in the Word text-export format (tab-led cells, blank line per row)."""

HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
INDICATORS = [
    ["产出指标", "数量指标", "培训人次", "全年培训人次", "≥100人次", "计划标准"],
    ["", "质量指标", "验收合格率", "验收合格率", "100%", "计划标准"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "群众满意度", "≥90%", "行业标准"],
]


def rows_text(rows: list[list[str]]) -> str:
    """A table: each cell a tab-led line, each row ended by a blank line."""
    return "".join("".join(f"\t{cell}\n" for cell in row) + "\n" for row in rows)


def project_rows(
    code: str = "P001",
    name: str = "示范项目",
    budget: str = "400.00",
    plan: tuple[str, ...] = ("100.00", "200.00", "300.00", "400.00"),
) -> list[list[str]]:
    return [
        ["100200示范单位本级", "单位：万元"],
        ["项目编码", code, "项目名称", name],
        ["预算规模及资金用途", "预算数", budget, "其中：财政资金", budget, "其他资金", " "],
        ["", "用于示范。"],
        ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"],
        ["", *plan],
        ["绩效目标", "完成示范。"],
    ]


def document(
    projects: list[list[list[str]]] | None = None,
    indicators: list[list[str]] | None = None,
    header: list[str] | None = None,
    title: str = "2023年部门预算项目绩效目标",
) -> str:
    """A whole document: department, title, then per project a heading and two tables."""
    projects = projects or [project_rows()]
    parts = ["示范市财政局\n", f"{title}\n", "\n"]
    for number, rows in enumerate(projects, start=1):
        name = rows[1][3] if len(rows) > 1 and len(rows[1]) > 3 else f"项目{number}"
        parts.append(f"{number}.{name}绩效目标表\n")
        parts.append(rows_text(rows))
        parts.append(" \n")
        parts.append(rows_text([header or HEADER, *(indicators or INDICATORS)]))
    return "".join(parts)

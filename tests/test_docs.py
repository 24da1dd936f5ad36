"""The README and docs/ stand alone: every local link they make resolves inside the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)#\s]+)")


def local_links(markdown: Path) -> list[str]:
    """The link targets of one Markdown file that are not web addresses."""
    targets = LINK.findall(markdown.read_text(encoding="utf-8"))
    return [target for target in targets if "://" not in target and ":" not in target[:7]]


def test_every_local_link_of_the_readme_and_docs_resolves_inside_the_repository() -> None:
    docs = sorted((ROOT / "docs").glob("*.md"))
    documents = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *docs]
    broken = []
    for document in documents:
        for target in local_links(document):
            resolved = (document.parent / target).resolve()
            if not resolved.exists() or ROOT not in resolved.parents:
                broken.append(f"{document.name}: {target}")
    assert broken == []


def test_the_contract_and_monitoring_domain_are_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/CONTRACT.md)" in readme and "(docs/MONITORING.md)" in readme
    assert "reminders --json" in (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")

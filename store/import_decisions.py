"""What an import would do to each project (add, replace, keep, refuse), decided before writing."""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from store.document_actuals import has_new_actuals
from store.models import Project
from store.parsed_document import ParsedDocument, ParsedProject
from store.queries import project_indicators, project_plan, projects_by_code
from store.snapshot import parsed_snapshot, stored_snapshot


@dataclass
class ProjectChange:
    """What an import does to one project."""

    code: str | None
    name: str | None
    status: str  # added | replaced | actuals (new actuals only) | unchanged | refused
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    reason: str | None = None
    position: int = 0
    parsed: ParsedProject | None = field(default=None, repr=False, compare=False)
    stored: Project | None = field(default=None, repr=False, compare=False)
    actuals: list[str] = field(default_factory=list)  # the document's actuals: stored or why not
    kept: list[str] = field(default_factory=list)  # stored fields the file leaves blank, kept
    ignored: list[str] = field(default_factory=list)  # a monitoring form's other target changes

    def target_changes(self) -> list[str]:
        """+added, -removed and `name: old -> new` of the indicators."""
        parts = [f"+{name}" for name in self.added] + [f"-{name}" for name in self.removed]
        return parts + [f"{name}: {old} -> {new}" for name, old, new in self.changed]

    def actuals_note(self) -> str:
        kept = [f"kept its {', '.join(self.kept)}: the file has none"] if self.kept else []
        if self.ignored:
            ignored = ", ".join(self.ignored)
            kept.append(f"targets not changed by a monitoring form ({ignored})")
        notes = kept + self.actuals
        return f" [{'; '.join(notes)}]" if notes else ""

    def subject(self) -> str:
        """`CODE NAME`, or `project 'NAME'` for a project refused before it had a code."""
        return f"{self.code} {self.name}" if self.code else f"project '{self.name or '?'}'"

    def describe(self) -> str:
        if self.status == "refused":
            return f"refused: {self.subject()}: {self.reason}"
        if self.status != "replaced":
            return f"{self.status}: {self.code} {self.name}{self.unit_note()}{self.actuals_note()}"
        parts = self.target_changes()
        parts += [
            f"{name}: {old} -> {new}" if old or new else f"{name} changed"
            for name, old, new in self.fields
        ]
        note = self.unit_note() + self.actuals_note()
        return f"replaced: {self.code} {self.name} ({'; '.join(parts)}){note}"

    def unit_note(self) -> str:
        """Amounts a document wrote in 元 or 千元 are stored in 万元: say so."""
        unit = self.parsed.source_money_unit if self.parsed else "万元"
        return "" if unit == "万元" else f" (amounts written in {unit}, stored in 万元)"


@dataclass
class ImportReport:
    """What importing one file does."""

    source: str
    projects: list[ProjectChange] = field(default_factory=list)

    @property
    def refused(self) -> list[ProjectChange]:
        return [p for p in self.projects if p.status == "refused"]

    @property
    def already_imported(self) -> bool:
        """The store already holds exactly what the file says (and there is nothing to say of
        its actuals or of target fields it leaves blank)."""
        quiet = all(p.status == "unchanged" and not (p.kept or p.actuals) for p in self.projects)
        return bool(self.projects) and quiet

    def lines(self) -> list[str]:
        """The report: a summary line, then one line per project."""
        if self.already_imported:
            return [f"{self.source}: already imported, nothing changed"]
        counts = {s: sum(p.status == s for p in self.projects) for s in ("added", "replaced")}
        head = f"{self.source}: {len(self.projects)} projects ({counts['added']} added, "
        head += f"{counts['replaced']} replaced"
        if fresh := sum(p.status == "actuals" for p in self.projects):
            head += f", {fresh} with new actuals only"
        head += f", {len(self.refused)} refused)" if self.refused else ")"
        return [head] + [f"  {p.describe()}" for p in self.projects]


def decide(session: Session, document: ParsedDocument, replace: bool) -> ImportReport:
    """Compare each parsed project with the stored one; nothing is written. The stored
    projects of the file's codes are read in one query (per 500 codes)."""
    report = ImportReport(document.source_name)
    stored = projects_by_code(session, [parsed.code for parsed in document.projects])
    monitoring_form = is_monitoring_form(document)
    for position, parsed in enumerate(document.projects):
        existing = stored.get(parsed.code)
        change = _decide_project(session, parsed, existing, replace, monitoring_form)
        change.position, change.parsed, change.stored = position, parsed, existing
        report.projects.append(change)
    for refused in document.refused:
        place = f"{refused.where}: " if refused.where else ""
        report.projects.append(
            ProjectChange(None, refused.name, "refused", reason=place + refused.reason)
        )
    return report


def _decide_project(
    session: Session,
    parsed: ParsedProject,
    existing: Project | None,
    replace: bool,
    monitoring_form: bool = False,
) -> ProjectChange:
    if existing is None:
        return ProjectChange(parsed.code, parsed.name, "added")
    assert existing.id is not None
    old = stored_snapshot(
        existing, project_plan(session, existing.id), project_indicators(session, existing.id)
    )
    new = parsed_snapshot(parsed)
    if old == new:
        fresh = has_new_actuals(session, existing, parsed)
        return ProjectChange(parsed.code, parsed.name, "actuals" if fresh else "unchanged")
    change = _change(parsed, old, new)
    blanked = _blanked(old, new)
    if blanked and monitoring_form:  # --replace is for target documents, never a 监控表
        # a 监控表/自评表 of a stored project: its actuals, never a plan-less copy of the targets
        fresh = has_new_actuals(session, existing, parsed)
        kept = ProjectChange(parsed.code, parsed.name, "actuals" if fresh else "unchanged")
        kept.kept = blanked
        kept.ignored = change.target_changes()
        return kept
    if not replace and (loss := _loss(old, new, change)):
        return ProjectChange(
            parsed.code, parsed.name, "refused", reason=f"{loss} (use --replace to allow it)"
        )
    return change


def is_monitoring_form(document: ParsedDocument) -> bool:
    """A 监控表 or 自评表: a title that says so, or a project that reports actuals."""
    title = document.title or ""
    return any(word in title for word in ("监控", "自评")) or any(
        reports_actuals(parsed) for parsed in document.projects
    )


def reports_actuals(parsed: ParsedProject) -> bool:
    """Whether a parsed project carries actuals (a 自评表's or 监控表's columns)."""
    indicators = parsed.indicators
    return parsed.spent is not None or any(i.actual_text or i.forecast_text for i in indicators)


def _blanked(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What the store holds that the file leaves blank: fields, the spending plan."""
    blank = (None, "")
    names = [
        name
        for name, value in old["fields"].items()
        if value not in blank and new["fields"].get(name) in blank
    ]
    return names + (["plan"] if old["plan"] and not new["plan"] else [])


def _loss(old: dict[str, Any], new: dict[str, Any], change: ProjectChange) -> str | None:
    """What a replacement would lose that a plain edit never does, or None."""
    stored = len(old["indicators"])
    if stored and len(change.removed) * 2 > stored:
        gone = ", ".join(change.removed[:5]) + ("…" if len(change.removed) > 5 else "")
        return f"would remove {len(change.removed)} of its {stored} indicators ({gone})"
    if old["fields"]["budget"] is not None and new["fields"]["budget"] is None:
        return f"would blank its budget ({old['fields']['budget']:g} 万元)"
    if old["plan"] and not new["plan"]:
        return f"would drop its spending plan ({len(old['plan'])} checkpoints)"
    return None


def _change(parsed: ParsedProject, old: dict[str, Any], new: dict[str, Any]) -> ProjectChange:
    change = ProjectChange(parsed.code, parsed.name, "replaced")
    old_values = {row[2]: row[4] for row in old["indicators"]}
    new_values = {row[2]: row[4] for row in new["indicators"]}
    change.added = [name for name in new_values if name not in old_values]
    change.removed = [name for name in old_values if name not in new_values]
    change.changed = [
        (name, old_values[name], value)
        for name, value in new_values.items()
        if name in old_values and old_values[name] != value
    ]
    change.fields = [
        (name, shown(old["fields"][name]), shown(value))
        for name, value in new["fields"].items()
        if old["fields"][name] != value
    ]
    change.fields += plan_changes(old["plan"], new["plan"])
    if old["indicators"] != new["indicators"] and not (
        change.added or change.removed or change.changed
    ):
        change.fields.append(("indicators", "", ""))  # their levels, descriptions, bases or weights
    return change


def plan_changes(
    old: list[tuple[Any, ...]], new: list[tuple[Any, ...]]
) -> list[tuple[str, str, str]]:
    """`plan 6月底`, old amount, new amount: for each checkpoint whose row differs."""
    before = {row[0]: row for row in old}
    after = {row[0]: row for row in new}
    labels = list(before) + [label for label in after if label not in before]
    return [
        (f"plan {label}", plan_row(before.get(label)), plan_row(after.get(label)))
        for label in labels
        if before.get(label) != after.get(label)
    ]


def plan_row(row: tuple[Any, ...] | None) -> str:
    """A checkpoint as the report shows it: its amount, with its date when it has one."""
    if row is None:
        return "—"
    _label, _month, date, amount = row
    return f"{shown(amount)}" + (f" ({date})" if date else "")


def shown(value: Any, limit: int = 60) -> str:
    """A field's value in the report: — for none, numbers without trailing zeros, long text cut."""
    if value is None or value == "":
        return "—"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"

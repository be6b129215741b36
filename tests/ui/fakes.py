"""Small stand-ins with the real interfaces, for screen tests that must not need the full catalogue."""

from __future__ import annotations

from decimal import Decimal

from app.domain.catalogue import (
    Condition,
    GenericGroup,
    GenericGroupMember,
    GenericRole,
    Presentation,
)


def presentation(cip13: str, name: str, *, cis: str = "60000001", price: str | None = "2.18", rate: int | None = 65,
                 group: str | None = None, role: GenericRole | None = None,
                 flags: frozenset[Condition] = frozenset(), pack: int = 8) -> Presentation:
    return Presentation(
        cip13=cip13, cip7=cip13[5:12], cis=cis, name=name,
        label=f"plaquette(s) PVC aluminium de {pack} comprimé(s)", pack_quantity=Decimal(pack),
        pack_unit="comprimé", price=Decimal(price) if price else None, rate=rate, flags=flags,
        generic_group_id=group, generic_role=role,
    )


DOLIPRANE = presentation("3400935955838", "DOLIPRANE 1000 mg, comprimé", cis="60234100", group="1",
                         role=GenericRole.PRINCEPS)
PARACETAMOL = presentation("3400936403086", "PARACETAMOL BIOGARAN 1000 mg, comprimé", cis="60000002",
                           price="1.50", group="1", role=GenericRole.GENERIC)
GROUP = GenericGroup("1", "PARACETAMOL 1000 mg - DOLIPRANE 1000 mg, comprimé", (
    GenericGroupMember("60234100", "DOLIPRANE 1000 mg, comprimé", GenericRole.PRINCEPS, 1),
    GenericGroupMember("60000002", "PARACETAMOL BIOGARAN 1000 mg, comprimé", GenericRole.GENERIC, 2),
))


class FakeCatalogue:
    """The two calls the search screen makes, over an in-memory list."""

    def __init__(self, presentations=(DOLIPRANE, PARACETAMOL), groups=(GROUP,)) -> None:
        self.presentations = list(presentations)
        self.groups = {g.group_id: g for g in groups}
        self.queries: list[str] = []

    def find(self, query: str, limit: int = 50) -> list[Presentation]:
        self.queries.append(query)
        q = query.lower()
        return [p for p in self.presentations if q in p.name.lower() or query in (p.cip13, p.cip7, p.cis)][:limit]

    def generic_group(self, code: str) -> GenericGroup | None:
        for p in self.presentations:
            if code in (p.cip13, p.cis) and p.generic_group_id:
                return self.groups.get(p.generic_group_id)
        return None

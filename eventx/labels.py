"""Label sets: BIO tags for triggers (per event type) and arguments (per role), and statuses.

Label sets come from the data and are stored with the model, so a user's own types and roles extend
them: new labels are appended, old ones keep their ids (and their trained head rows).

>>> ls = LabelSet.from_schema({"Meeting": ("participant", "place")}, ("happened", "planned"))
>>> ls.trigger_labels
['O', 'B-Meeting', 'I-Meeting']
>>> ls.role_labels
['O', 'B-participant', 'I-participant', 'B-place', 'I-place']
"""
from __future__ import annotations

from dataclasses import dataclass, field


def bio(names) -> list[str]:
    out = ["O"]
    for n in names:
        out += [f"B-{n}", f"I-{n}"]
    return out


@dataclass(frozen=True)
class LabelSet:
    """Event types with their roles, and statuses, in a fixed order."""

    types: dict = field(default_factory=dict)  # type -> tuple of roles
    statuses: tuple = ()
    role_order: tuple = field(default=(), compare=False)  # role tag order; derived from ``types`` when empty

    @classmethod
    def from_schema(cls, types: dict, statuses, role_order=()) -> "LabelSet":
        order = list(role_order)
        for roles in types.values():
            order += [r for r in roles if r not in order]
        return cls({t: tuple(r) for t, r in types.items()}, tuple(statuses), tuple(order))

    @property
    def roles(self) -> list[str]:
        seen: list[str] = list(self.role_order)
        for roles in self.types.values():
            seen += [r for r in roles if r not in seen]
        return seen

    @property
    def trigger_labels(self) -> list[str]:
        return bio(self.types)

    @property
    def role_labels(self) -> list[str]:
        return bio(self.roles)

    def extend(self, other: "LabelSet") -> "LabelSet":
        """This set plus whatever ``other`` adds; existing labels keep their positions.

        >>> a = LabelSet.from_schema({"Meeting": ("participant",)}, ("happened",))
        >>> b = a.extend(LabelSet.from_schema({"Meeting": ("place",), "Strike": ("target",)}, ("happened", "negated")))
        >>> b.trigger_labels, b.role_labels[-2:], b.statuses
        (['O', 'B-Meeting', 'I-Meeting', 'B-Strike', 'I-Strike'], ['B-target', 'I-target'], ('happened', 'negated'))
        """
        types = {t: list(r) for t, r in self.types.items()}
        for t, roles in other.types.items():
            mine = types.setdefault(t, [])
            mine += [r for r in roles if r not in mine]
        statuses = list(self.statuses) + [s for s in other.statuses if s not in self.statuses]
        return LabelSet.from_schema(types, statuses, self.roles)

    def role_mask(self) -> list[list[bool]]:
        """``mask[type_index][role_label_index]``: may an event of this type carry this role tag."""
        labels = self.role_labels
        return [[lab == "O" or lab[2:] in roles for lab in labels] for roles in self.types.values()]

    def to_dict(self) -> dict:
        return {"types": {t: list(r) for t, r in self.types.items()}, "statuses": list(self.statuses),
                "roles": self.roles}

    @classmethod
    def from_dict(cls, d: dict) -> "LabelSet":
        return cls.from_schema(d["types"], d["statuses"], d.get("roles", ()))

"""Dotted keys over a frozen tree of config sections: 'section.field' set from text or a dict.

One idea: a key names a field, and a value (a CLI flag's text, a JSON value) is parsed to
that field's type with a one-line ConfigError. `DottedKeys` gives a tree of section
dataclasses `with_value` / `with_overrides`; `section_from_dict` reads one section from
a dict, migrating keys that older versions wrote. gan_core.config.tree re-exports ConfigError and
DottedKeys, the names the rest of the code imports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import fields, replace
from typing import Any, ClassVar


class ConfigError(ValueError):
    """A bad configuration value; the message is one line a user can act on."""


# Keys of older configs: what to set instead (shown when a --set or override names one).
RETIRED_KEYS = {"optimizer.dcgan_adam": "set optimizer.beta_1 (0.5 as in DCGAN, 0.9 for Adam's default)"}


def coerce_value(key: str, current: Any, value: Any) -> Any:
    """Parse `value` to the type of the field's current value, with a one-line error."""
    try:
        if isinstance(current, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "on", "yes"):
                return True
            if text in ("0", "false", "off", "no"):
                return False
            raise ValueError
        if isinstance(current, int):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            if isinstance(value, str):
                return int(value.strip())
            return int(value)
        if isinstance(current, float):
            return float(value)
        if isinstance(current, tuple):
            items = value
            if isinstance(value, str):
                items = [v for v in value.replace("[", "").replace("]", "").split(",") if v.strip()]
            items = tuple(float(v) for v in items)
            if len(items) != 2:
                raise ValueError
            return items
        if isinstance(current, str):
            return str(value)
    except (TypeError, ValueError):
        pass
    kind = {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        tuple: "two numbers like 0.7,1.2",
        str: "text",
    }[type(current)]
    raise ConfigError(f"{key} must be {kind}, got {value!r}")


class DottedKeys:
    """`with_value` / `with_overrides` for a frozen tree of sections ('section.field' keys).

    A subclass sets SECTIONS (name -> section dataclass) and KIND (how errors name it),
    and lists its bad values in `problems()`.
    """

    SECTIONS: ClassVar[dict] = {}
    KIND: ClassVar[str] = "config"

    def problems(self) -> list[str]:
        """Every bad value, one line each; empty when valid. Subclasses implement it."""
        raise NotImplementedError

    def validated(self):
        """Itself when valid, else ConfigError with every bad value on one line."""
        bad = self.problems()
        if bad:
            raise ConfigError(bad[0] if len(bad) == 1 else "; ".join(bad))
        return self

    def to_dict(self) -> dict:
        """The tree as nested plain dicts ({section: {field: value}}); tuples stay tuples."""
        return dataclasses.asdict(self)

    def flat(self) -> list[tuple[str, Any]]:
        """Every ("section.field", value) of the tree, in the order its sections and fields are declared."""
        return [(f"{s}.{n}", v) for s, section in self.to_dict().items() for n, v in section.items()]

    def with_value(self, key: str, value: Any):
        """A copy with one dotted key set, e.g. ('hacks.flip_probability', 0.3).

        `value` may be a string (from a CLI flag) and is parsed to the field's type.
        """
        section_name, _, name = key.partition(".")
        if key in RETIRED_KEYS:
            raise ConfigError(f"{key} was retired: {RETIRED_KEYS[key]}")
        if section_name not in self.SECTIONS or not name:
            raise ConfigError(
                f"unknown {self.KIND} key '{key}' (use section.field, sections: {', '.join(self.SECTIONS)})"
            )
        section = getattr(self, section_name)
        known = [f.name for f in fields(section)]
        if name not in known:
            raise ConfigError(f"unknown {self.KIND} key '{key}' (fields of {section_name}: {', '.join(known)})")
        typed = coerce_value(key, getattr(section, name), value)
        return replace(self, **{section_name: replace(section, **{name: typed})})

    def with_overrides(self, pairs: list[str]):
        """Apply 'key=value' strings in order."""
        cfg = self
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep:
                raise ConfigError(f"--set expects key=value, got '{pair}'")
            cfg = cfg.with_value(key.strip(), value.strip())
        return cfg


def _migrate_section(section_name: str, raw: dict) -> dict:
    """A section of a config written by an older version, in today's keys.

    optimizer.dcgan_adam=false made the step use Adam's beta_1 0.9 whatever beta_1 said;
    true used beta_1. So false becomes beta_1 0.9 and the switch is dropped."""
    if section_name == "optimizer" and "dcgan_adam" in raw:
        raw = dict(raw)
        if coerce_value("optimizer.dcgan_adam", True, raw.pop("dcgan_adam")) is False:
            raw["beta_1"] = 0.9
    return raw


def section_from_dict(section_name: str, cls, raw: dict):
    """The section dataclass `cls` from `raw` ({field: value}); missing fields take their
    defaults, values are parsed to each field's type, keys older versions wrote are migrated.

    Raises ConfigError for an unknown key or a value of the wrong type (ranges are not checked).
    """
    raw = _migrate_section(section_name, raw)
    known = {f.name: f for f in fields(cls)}
    unknown = set(raw) - set(known)
    if unknown:
        raise ConfigError(f"unknown config key '{section_name}.{sorted(unknown)[0]}'")
    default = cls()
    values = {name: coerce_value(f"{section_name}.{name}", getattr(default, name), raw[name]) for name in raw}
    return replace(default, **values)

"""Find, read and validate outlet YAML files into :class:`crawler.outlets.Outlet` objects.

Errors are collected per file and raised together as one :class:`ConfigError` whose
message has one line per problem: ``<file>: key '<key>': bad value <value>: <rule>``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from crawler.errors import ConfigError
from crawler.outlets import _ENV_REF, Outlet

ENV_CONFIG = "NEWSARCHIVE_CONFIG"


def resolve_config_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The outlets directory: explicit > $NEWSARCHIVE_CONFIG > ./config > bundled config.

    A config directory may hold an ``outlets/`` folder (like the repo's ``config/``) or
    the outlet files directly.
    """
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    elif os.environ.get(ENV_CONFIG):
        candidates.append(Path(os.environ[ENV_CONFIG]))
    else:
        candidates += [Path("config"), *_bundled_dirs()]
    for base in candidates:
        if (base / "outlets").is_dir():
            return base / "outlets"
        if explicit or os.environ.get(ENV_CONFIG):
            if base.is_dir():
                return base
            raise ConfigError(f"{base}: config directory does not exist")
    raise ConfigError("no outlet configuration found: pass --config DIR or set NEWSARCHIVE_CONFIG")


def _bundled_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here.parent / "config", here / "_bundled_config"]


def load_outlets(config_dir: str | os.PathLike[str] | None = None) -> dict[str, Outlet]:
    """Load every ``*.yaml``/``*.yml`` outlet file; raise ConfigError listing all problems."""
    directory = resolve_config_dir(config_dir)
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    outlets: dict[str, Outlet] = {}
    problems: list[str] = []
    for path in files:
        try:
            outlet = load_outlet_file(path)
        except ConfigError as exc:
            problems.append(str(exc))
            continue
        if outlet.name in outlets:
            first = outlets[outlet.name].source_file
            problems.append(
                f"{path}: key 'name': bad value {outlet.name!r}: duplicate outlet name,"
                f" already defined in {first}; names must be unique"
            )
            continue
        outlets[outlet.name] = outlet
    if problems:
        raise ConfigError("\n".join(problems))
    return outlets


#: PyYAML's safe loader, in C where libyaml is there (8 outlet files: 4 ms instead of 36,
#: in the start-up of every command that loads the outlets).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_outlet_file(path: Path) -> Outlet:
    """Read and validate one outlet file."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: malformed YAML: {_yaml_problem(exc)}") from None
    if not isinstance(raw, dict):
        kind = type(raw).__name__
        raise ConfigError(f"{path}: top level must be a mapping of keys, found {kind}")
    expanded, env_problems = _expand_env(raw, ())
    if env_problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in env_problems))
    try:
        return Outlet.model_validate({**expanded, "source_file": str(path)})
    except ValidationError as exc:
        raise ConfigError("\n".join(f"{path}: {m}" for m in _messages(exc, expanded))) from None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return str(problem)
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"


def _expand_env(value: Any, loc: tuple[str | int, ...]) -> tuple[Any, list[str]]:
    """Substitute ${VAR} / ${VAR:-default} in every string; report unset variables."""
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        problems: list[str] = []
        for k, v in value.items():
            out[k], found = _expand_env(v, (*loc, str(k)))
            problems += found
        return out, problems
    if isinstance(value, list):
        pairs = [_expand_env(v, (*loc, i)) for i, v in enumerate(value)]
        return [p[0] for p in pairs], [m for p in pairs for m in p[1]]
    if not isinstance(value, str):
        return value, []
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is None:
            missing.append(name)
            return ""
        return str(default)

    result = _ENV_REF.sub(substitute, value)
    return result, [
        f"key '{_dotted(loc)}': bad value {value!r}: environment variable {name} is not set"
        " (use ${" + name + ":-default} for a default)"
        for name in missing
    ]


def _dotted(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _messages(exc: ValidationError, data: Mapping[str, Any]) -> list[str]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not _is_type_tag(p))
        key = _dotted(loc)
        if err["type"] == "extra_forbidden":
            allowed = ", ".join(_allowed_keys(loc[:-1]))
            out.append(f"unknown key '{key}' (allowed keys here: {allowed})")
        elif err["type"] == "missing":
            out.append(f"missing required key '{key}'")
        elif not loc:
            out.append(_clean(err["msg"]))
        else:
            out.append(f"key '{key}': bad value {err['input']!r}: {_clean(err['msg'])}")
    return out


def _is_type_tag(part: Any) -> bool:
    # pydantic inserts validator names such as 'function-after[...]' into some locations.
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _clean(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    model: type[BaseModel] = Outlet
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        nested = _model_in(field.annotation)
        if nested is None:
            return []
        model = nested
    return [name for name, f in model.model_fields.items() if not f.exclude]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None

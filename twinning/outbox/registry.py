"""The code's e-mails: each app declares its templates in `<app>/emails.py` (imported by its
AppConfig.ready) with `register_template`, and the outbox renders them.

Templates are Django template strings rendered as plain text (autoescape off) by a small engine
of their own: variables, filters, `{% if %}` and `{% for %}` only, so a text staff override can
neither load tag libraries nor include files. Every placeholder a text uses must be declared;
`validate_override` refuses staff's text otherwise, with a message.

A placeholder declared in `secret_links` holds a live link (a single-use consent or invitation
link, a guardian's manage link): the outbox stores and shows the message with that link
redacted (`…/consent/••••••/`) and puts the real link back only in the e-mail it sends."""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import (
    FilterExpression,
    Lexer,
    TextNode,
    TokenType,
    Variable,
    VariableNode,
)
from django.template.defaulttags import CommentNode, ForNode, IfNode
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Placeholders every template may use, filled by the outbox itself.
COMMON_PLACEHOLDERS = frozenset({"association_name", "association_email", "site_url"})
ALLOWED_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "comment", "endcomment"}
)

# No loaders (nothing to include), default tags and filters only, plain text.
_ENGINE = Engine(autoescape=False, libraries={})


@dataclass(frozen=True)
class TemplateSpec:
    """One registered e-mail: its default texts (lazy, translated), what it is for, the
    placeholders its texts may use, and whether it is essential (transactional) mail."""

    key: str
    subject: Any
    body: Any
    description: Any
    placeholders: frozenset[str]
    transactional: bool = True
    sample: Mapping[str, Any] = field(default_factory=dict)
    secret_links: frozenset[str] = frozenset()

    @property
    def allowed_placeholders(self) -> frozenset[str]:
        return self.placeholders | COMMON_PLACEHOLDERS

    def sample_context(self) -> dict[str, Any]:
        """Values for a preview: the registered samples, else `[name]` for each placeholder."""
        context: dict[str, Any] = {name: SampleValue(name) for name in self.allowed_placeholders}
        context.update(self.sample)
        return context


class SampleValue(str):
    """A stand-in `[name]` that also answers `[name.attr]` for attribute lookups."""

    def __new__(cls, name: str) -> "SampleValue":
        value = super().__new__(cls, f"[{name}]")
        value.name = name  # type: ignore[attr-defined]
        return value

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return SampleValue(f"{self.name}.{key}")  # type: ignore[attr-defined]
        return super().__getitem__(key)


class UnknownTemplate(LookupError):
    """No e-mail is registered under this key (a programming error)."""


_REGISTRY: dict[str, TemplateSpec] = {}


def register_template(
    key: str,
    *,
    subject: Any,
    body: Any,
    description: Any,
    placeholders: Iterable[str],
    transactional: bool = True,
    sample: Mapping[str, Any] | None = None,
    secret_links: Iterable[str] = (),
) -> None:
    """Declare an e-mail. `subject` and `body` are Django template strings marked with
    gettext_lazy; `placeholders` names every variable they may use. Registering the same key
    again replaces it (AppConfig.ready may run more than once in tests). `secret_links` names
    the placeholders holding a live link, never shown to staff (see the module docstring)."""
    secrets = frozenset(secret_links)
    if not secrets <= frozenset(placeholders):
        raise ImproperlyConfigured(f"E-mail template {key!r}: secret links must be placeholders")
    spec = TemplateSpec(
        key=key,
        subject=subject,
        body=body,
        description=description,
        placeholders=frozenset(placeholders),
        transactional=transactional,
        sample=dict(sample or {}),
        secret_links=secrets,
    )
    with translation.override(None):  # check the source texts, not a translation
        try:
            _check(spec, str(subject), str(body))
        except ValidationError as error:
            raise ImproperlyConfigured(f"E-mail template {key!r}: {error.messages}") from error
    _REGISTRY[key] = spec


def unregister_template(key: str) -> None:
    """Forget an e-mail (tests that register their own)."""
    _REGISTRY.pop(key, None)


def get_template_spec(key: str) -> TemplateSpec:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownTemplate(key) from None


def registered_templates() -> list[TemplateSpec]:
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


# --- Checking texts ----------------------------------------------------------------------------


def _variable_roots(expression: FilterExpression) -> set[str]:
    roots = set()
    if isinstance(expression.var, Variable) and expression.var.lookups:
        roots.add(expression.var.lookups[0])
    for _func, args in expression.filters:
        for is_lookup, arg in args:
            if is_lookup and arg.lookups:
                roots.add(arg.lookups[0])
    return roots


def _condition_roots(condition: Any) -> set[str]:
    if condition is None:
        return set()
    if isinstance(getattr(condition, "value", None), FilterExpression):
        return _variable_roots(condition.value)
    return _condition_roots(getattr(condition, "first", None)) | _condition_roots(
        getattr(condition, "second", None)
    )


def _names_used(nodelist: Iterable[Any], bound: frozenset[str] = frozenset()) -> set[str]:
    names: set[str] = set()
    for node in nodelist:
        if isinstance(node, VariableNode):
            names |= _variable_roots(node.filter_expression) - bound
        elif isinstance(node, IfNode):
            for condition, nodes in node.conditions_nodelists:
                names |= _condition_roots(condition) - bound
                names |= _names_used(nodes, bound)
        elif isinstance(node, ForNode):
            names |= _variable_roots(node.sequence) - bound
            names |= _names_used(node.nodelist_loop, bound | {*node.loopvars, "forloop"})
            names |= _names_used(node.nodelist_empty, bound)
        elif not isinstance(node, TextNode | CommentNode):  # pragma: no cover - tags are checked
            raise ValidationError(_("This template uses a tag that e-mails may not use."))
    return names


def _compile(source: str, *, label: str) -> Template:
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            tag = (token.split_contents() or [""])[0]
            if tag not in ALLOWED_TAGS:
                raise ValidationError(
                    _("The %(part)s uses {%% %(tag)s %%}; e-mails may only use if and for.")
                    % {"part": label, "tag": tag}
                )
    try:
        return Template(source, engine=_ENGINE)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("The %(part)s is not a valid template: %(error)s") % {"part": label, "error": error}
        ) from error


def check_text(source: str, *, label: str, allowed: frozenset[str]) -> Template:
    """Compile a text in the safe template language (variables, filters, if and for; no tag
    libraries, no includes) and refuse placeholders outside `allowed`: ValidationError with a
    message naming `label`. The outbox's e-mails and the documents app's texts both use it, so
    staff write one language everywhere."""
    compiled = _compile(source, label=label)
    unknown = _names_used(compiled.nodelist) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown placeholder(s): %(unknown)s. This text may use: %(allowed)s.")
            % {"unknown": ", ".join(sorted(unknown)), "allowed": ", ".join(sorted(allowed))}
        )
    return compiled


def render_checked(template: Template, context: dict[str, Any]) -> str:
    """A compiled text rendered as plain text (autoescape off), stripped."""
    return template.render(Context(context, autoescape=False)).strip()


def _check(spec: TemplateSpec, subject: str, body: str) -> tuple[Template, Template]:
    errors: dict[str, list[str]] = {}
    compiled: dict[str, Template] = {}
    for name, source, label in (("subject", subject, _("subject")), ("body", body, _("body"))):
        try:
            compiled[name] = _compile(source, label=label)
        except ValidationError as error:
            errors[name] = error.messages
            continue
        unknown = _names_used(compiled[name].nodelist) - spec.allowed_placeholders
        if unknown:
            errors[name] = [
                _("Unknown placeholder(s): %(unknown)s. This e-mail may use: %(allowed)s.")
                % {
                    "unknown": ", ".join(sorted(unknown)),
                    "allowed": ", ".join(sorted(spec.allowed_placeholders)),
                }
            ]
    if errors:
        raise ValidationError(errors)
    return compiled["subject"], compiled["body"]


def validate_override(key: str, *, subject: str, body: str) -> None:
    """Raise ValidationError (keyed by field) when staff's text for `key` has invalid template
    syntax, a tag e-mails may not use, or a placeholder the e-mail does not offer."""
    try:
        spec = get_template_spec(key)
    except UnknownTemplate:
        raise ValidationError({"key": _("There is no e-mail with this name.")}) from None
    _check(spec, subject, body)


# --- Rendering ---------------------------------------------------------------------------------


def render_texts(
    spec: TemplateSpec, subject: str, body: str, context: dict[str, Any]
) -> tuple[str, str]:
    """(subject on one line, body) rendered as plain text."""
    compiled_subject, compiled_body = _check(spec, subject, body)
    rendered_subject = " ".join(compiled_subject.render(Context(context, autoescape=False)).split())
    rendered_body = compiled_body.render(Context(context, autoescape=False)).strip() + "\n"
    return rendered_subject[:255], rendered_body

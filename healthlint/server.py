"""`healthlint server`: a Language Server Protocol server on stdin/stdout, for editors.

It lints a document when it is opened, changed and saved, with the configuration found
upward from the document's folder (as `healthlint check` does from the working directory),
publishes the findings as diagnostics, explains a finding's rule on hover, and offers each
finding's suggestion as a quick fix that replaces the flagged text.

Positions: healthlint counts 1-based lines and code-point columns; LSP counts 0-based lines
and, unless client and server agree on another encoding at `initialize`, UTF-16 code units.
An emoji is one code point but two UTF-16 units, so columns after one differ.

Needs the `lsp` extra (pygls); only `healthlint server` imports this module.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from healthlint import __version__
from healthlint.config import Config, find_config, load_config
from healthlint.diagnostic import Diagnostic
from healthlint.document.load import FORMAT_BY_SUFFIX
from healthlint.engine.linter import Linter
from healthlint.errors import HealthlintError

log = logging.getLogger(__name__)

SOURCE = "healthlint"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
# The file suffix picks the reader; for unsaved documents the editor's language id does.
SUFFIX_BY_LANGUAGE = {"markdown": ".md", "html": ".html", "plaintext": ".txt"}
# \n, \r\n and a lone \r end a line, in LSP and in healthlint's Document alike.
_LINE_BREAK = re.compile(r"\r\n?|\n")


# --- positions ------------------------------------------------------------------------------------

def code_units(text: str, encoding: str) -> int:
    """Length of `text` in the negotiated position encoding's code units."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def lsp_position(lines: list[str], line: int, column: int, encoding: str) -> types.Position:
    """healthlint's 1-based line and code-point column as an LSP position."""
    row = min(max(line - 1, 0), len(lines) - 1)
    return types.Position(line=row, character=code_units(lines[row][: max(column - 1, 0)], encoding))


def lsp_range(lines: list[str], d: Diagnostic, encoding: str) -> types.Range:
    return types.Range(start=lsp_position(lines, d.line, d.column, encoding),
                       end=lsp_position(lines, d.end_line, d.end_column, encoding))


def contains(span: types.Range, position: types.Position) -> bool:
    start, end = (span.start.line, span.start.character), (span.end.line, span.end.character)
    return start <= (position.line, position.character) <= end


def overlaps(a: types.Range, b: types.Range) -> bool:
    return ((a.start.line, a.start.character) <= (b.end.line, b.end.character)
            and (b.start.line, b.start.character) <= (a.end.line, a.end.character))


# --- linting --------------------------------------------------------------------------------------

def document_path(uri: str, language_id: str | None) -> tuple[str, Path | None]:
    """The name findings carry (its suffix picks the reader) and the folder to find config from."""
    fs_path = to_fs_path(uri) if uri.startswith("file:") else None
    if fs_path:
        path = Path(fs_path)
        if path.suffix.lower() not in FORMAT_BY_SUFFIX and language_id in SUFFIX_BY_LANGUAGE:
            return str(path) + SUFFIX_BY_LANGUAGE[language_id], path.parent
        return str(path), path.parent
    name = Path(unquote(urlparse(uri).path or "untitled")).name or "untitled"
    if Path(name).suffix.lower() not in FORMAT_BY_SUFFIX:
        name += SUFFIX_BY_LANGUAGE.get(language_id or "", ".md")
    return name, None


class Linters:
    """One Linter per configuration file, rebuilt when that file changes."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, int], Linter] = {}

    def for_folder(self, folder: Path | None) -> Linter:
        config_path = find_config(folder.resolve()) if folder else None
        mtime = config_path.stat().st_mtime_ns if config_path else 0
        key = (str(config_path), mtime)
        if key not in self.cache:
            config = load_config(config_path) if config_path else Config(root=folder or Path.cwd())
            self.cache = {k: v for k, v in self.cache.items() if k[0] != key[0]}
            self.cache[key] = Linter(config)
        return self.cache[key]


def lint_source(linter: Linter, text: str, path: str) -> list[Diagnostic]:
    """What `healthlint check` reports for this text, including the single-file corpus pass."""
    return linter.finish([linter.lint_bytes(path, text.encode("utf-8"))]).diagnostics


# --- the server -----------------------------------------------------------------------------------

@dataclass
class Published:
    """What was last published for a document: each finding with its LSP range."""

    linter: Linter
    findings: list[tuple[types.Range, Diagnostic]] = field(default_factory=list)


class HealthlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.linters = Linters()
        self.published: dict[str, Published] = {}

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def lint(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        path, folder = document_path(uri, document.language_id)
        try:
            linter = self.linters.for_folder(folder)
            found = lint_source(linter, document.source, path)
        except HealthlintError as exc:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error,
                                                             message=f"healthlint: {exc}"))
            self.publish(uri, document.version, [])
            return
        lines = _LINE_BREAK.split(document.source)
        state = Published(linter, [(lsp_range(lines, d, self.encoding), d) for d in found])
        self.published[uri] = state
        self.publish(uri, document.version, [to_lsp(span, d) for span, d in state.findings])

    def publish(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))


def to_lsp(span: types.Range, d: Diagnostic) -> types.Diagnostic:
    data = {"rule": d.rule, "suggestion": d.suggestion} if d.suggestion else {"rule": d.rule}
    return types.Diagnostic(
        range=span, message=d.message, severity=SEVERITY[d.severity], source=SOURCE, code=d.rule,
        code_description=types.CodeDescription(href=d.url) if d.url else None, data=data)


server = HealthlintServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: HealthlintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.lint(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: HealthlintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.lint(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: HealthlintServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.lint(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: HealthlintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.published.pop(params.text_document.uri, None)
    ls.publish(params.text_document.uri, None, [])


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: HealthlintServer, params: types.HoverParams) -> types.Hover | None:
    from healthlint.cli import explanation

    state = ls.published.get(params.text_document.uri)
    if state is None:
        return None
    here = [(span, d) for span, d in state.findings if contains(span, params.position)]
    if not here:
        return None
    parts = []
    for _, d in here:
        rule = state.linter.rules_by_id.get(d.rule)
        detail = f"\n\n```text\n{explanation(rule)}\n```" if rule is not None else ""
        parts.append(f"**{d.rule}** ({d.severity}): {d.message}{detail}")
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
                       range=here[0][0])


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: HealthlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    state = ls.published.get(params.text_document.uri)
    if state is None:
        return []
    actions = []
    for span, d in state.findings:
        if not d.suggestion or not overlaps(span, params.range):
            continue
        edit = types.TextEdit(range=span, new_text=d.suggestion)
        actions.append(types.CodeAction(
            title=f"healthlint: replace “{' '.join(d.match.split())}” with “{d.suggestion}”",
            kind=types.CodeActionKind.QuickFix, diagnostics=[to_lsp(span, d)],
            edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
    return actions


def serve() -> None:
    server.start_io()

"""`healthlint server` end to end: a real LSP client (pytest-lsp) drives the real server process.

Covers diagnostics on open, change and save, config found from the document's folder, hover
explanations, quick fixes, and position conversion: healthlint's 1-based code-point columns
become 0-based LSP positions in the negotiated encoding (UTF-16 unless the client offers others),
checked with an emoji (one code point, two UTF-16 units, four UTF-8 bytes) before a finding.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from tests.conftest import write  # noqa: E402

pytestmark = pytest.mark.asyncio

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "healthlint", "server"])
# "NightCalm 😴 " is 12 code points, 13 UTF-16 units and 15 UTF-8 bytes before "cures insomnia".
PAGE = "# Sleep\n\nNightCalm 😴 cures insomnia.\n"
START_COLUMN = {"utf-16": 13, "utf-8": 15, "utf-32": 12}
FLAGGED = "cures insomnia"
CONFIG = "select: [claims/disease-claim]\n"


async def start(client: LanguageClient, editor: str, root: Path) -> types.InitializeResult:
    return await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(editor), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="site")]))


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="markdown", version=version, text=text)))


async def diagnostics_for(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write(tmp_path / ".healthlint.yaml", CONFIG)
    return tmp_path


@pytest.mark.parametrize(("editor", "encoding"), [
    ("visual-studio-code", "utf-16"),  # offers no encodings: the LSP default, UTF-16
    ("neovim@v0.11.0", "utf-8"),       # prefers UTF-8
    ("emacs", "utf-32"),               # prefers UTF-32 (code points)
])
async def test_diagnostics_on_open_with_emoji_before_the_finding(
        client: LanguageClient, site: Path, editor: str, encoding: str) -> None:
    result = await start(client, editor, site)
    assert result.capabilities.position_encoding == encoding
    page = write(site / "sleep.md", PAGE)
    open_document(client, page, PAGE)
    found = await diagnostics_for(client, page.as_uri())
    assert [(d.code, d.source, d.severity) for d in found] == [
        ("claims/disease-claim", "healthlint", types.DiagnosticSeverity.Warning)]
    start_column = START_COLUMN[encoding]
    assert found[0].range == types.Range(start=types.Position(line=2, character=start_column),
                                         end=types.Position(line=2, character=start_column + len(FLAGGED)))
    assert found[0].message.startswith('"cures insomnia" claims to cure')


async def test_utf16_range_slices_out_the_flagged_text(client: LanguageClient, site: Path) -> None:
    await start(client, "visual-studio-code", site)
    text = "Relax 🧘🏽 tonight: 🌙 our drops cure insomnia and guaranteed calm.\n"
    page = write(site / "drops.md", text)
    open_document(client, page, text)
    (found,) = await diagnostics_for(client, page.as_uri())
    line = text.splitlines()[found.range.start.line].encode("utf-16-le")
    flagged = line[found.range.start.character * 2: found.range.end.character * 2].decode("utf-16-le")
    assert flagged == "cure insomnia"


async def test_change_and_save_relint(client: LanguageClient, site: Path) -> None:
    await start(client, "visual-studio-code", site)
    page = write(site / "sleep.md", PAGE)
    uri = page.as_uri()
    open_document(client, page, PAGE)
    assert len(await diagnostics_for(client, uri)) == 1

    clean = "# Sleep\n\nNightCalm 😴 supports restful sleep.\n"
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=clean)]))
    assert await diagnostics_for(client, uri) == []

    twice = "# Sleep\n\nIt cures insomnia.\n\nIt also cures insomnia.\n"
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=twice)]))
    assert [d.range.start.line for d in await diagnostics_for(client, uri)] == [2, 4]

    # A save re-lints too: after the config changes on disk, the saved document follows it.
    write(site / ".healthlint.yaml", "select: [claims/guaranteed-outcome]\n")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await diagnostics_for(client, uri) == []


async def test_config_is_found_from_the_document_folder(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, "visual-studio-code", tmp_path)
    text = "NightCalm cures insomnia, with guaranteed results.\n"
    strict = write(tmp_path / "clinic" / "sleep.md", text)
    write(tmp_path / "clinic" / ".healthlint.yaml", "select: [claims/guaranteed-outcome]\n")
    loose = write(tmp_path / "shop" / "sleep.md", text)
    write(tmp_path / "shop" / ".healthlint.yaml", CONFIG)
    open_document(client, strict, text)
    assert [d.code for d in await diagnostics_for(client, strict.as_uri())] == ["claims/guaranteed-outcome"]
    open_document(client, loose, text)
    assert [d.code for d in await diagnostics_for(client, loose.as_uri())] == ["claims/disease-claim"]


async def test_hover_explains_the_rule(client: LanguageClient, site: Path) -> None:
    await start(client, "visual-studio-code", site)
    page = write(site / "sleep.md", PAGE)
    open_document(client, page, PAGE)
    (found,) = await diagnostics_for(client, page.as_uri())
    inside = types.Position(line=2, character=found.range.start.character + 3)
    result = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=page.as_uri()), position=inside))
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    assert "**claims/disease-claim**" in result.contents.value
    assert "Why it matters:" in result.contents.value and "21 CFR 101.93(g)" in result.contents.value
    assert result.range == found.range
    # Before the emoji there is nothing to explain.
    outside = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=page.as_uri()), position=types.Position(line=2, character=2)))
    assert outside is None


async def test_quick_fix_replaces_the_flagged_range_with_the_suggestion(client: LanguageClient, site: Path) -> None:
    await start(client, "visual-studio-code", site)
    page = write(site / "sleep.md", PAGE)
    open_document(client, page, PAGE)
    (found,) = await diagnostics_for(client, page.as_uri())
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=page.as_uri()), range=found.range,
        context=types.CodeActionContext(diagnostics=[found])))
    assert actions is not None and len(actions) == 1
    (action,) = actions
    assert isinstance(action, types.CodeAction)
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[page.as_uri()]
    assert edit.range == found.range
    assert edit.new_text.startswith("Describe the effect on normal structure or function")
    assert action.diagnostics is not None and action.diagnostics[0].code == "claims/disease-claim"
    # Elsewhere on the page there is no fix to offer.
    none = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=page.as_uri()),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=3)),
        context=types.CodeActionContext(diagnostics=[])))
    assert not none


async def test_close_clears_diagnostics(client: LanguageClient, site: Path) -> None:
    await start(client, "visual-studio-code", site)
    page = write(site / "sleep.md", PAGE)
    open_document(client, page, PAGE)
    assert await diagnostics_for(client, page.as_uri())
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=page.as_uri())))
    assert await diagnostics_for(client, page.as_uri()) == []

import { useRef, useState } from "react";
import type { Scene } from "../../../engine/common/project/types.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";

/** World-info files are small JSON; the engine refuses anything over 20 MB too. */
const MAX_LOREBOOK_BYTES = 20 * 1024 * 1024;

/**
 * The scene's lorebooks (a card's character_book, or SillyTavern world-info files attached
 * here). Their entries go into this scene's prompts when they fire; "Show prompt" says which
 * did and why.
 */
export function LorebookSection({ scene }: { scene: Scene }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** What the last attach said about keys that can never match (kept until dismissed). */
  const [warnings, setWarnings] = useState<{ book: string; lines: string[] } | null>(null);
  const books = scene.lorebooks ?? [];
  const attach = async (file: File) => {
    if (file.size > MAX_LOREBOOK_BYTES) {
      setError(`${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; lorebooks are limited to 20 MB.`);
      return;
    }
    setBusy(true);
    setError(null);
    setWarnings(null);
    try {
      const added = await engine.call("sceneAddLorebook", { sceneId: scene.id, fileName: file.name, content: await file.text() });
      if (added.warnings.length > 0) setWarnings({ book: added.name, lines: added.warnings });
    } catch (e) {
      setError(errorPayloadOf(e).message);
    }
    setBusy(false);
  };
  const remove = async (lorebookId: string) => {
    setBusy(true);
    try {
      await engine.call("sceneRemoveLorebook", { sceneId: scene.id, lorebookId });
    } catch (e) {
      setError(errorPayloadOf(e).message);
    }
    setBusy(false);
  };
  return (
    <section className="flex flex-col gap-2 border-t border-zinc-800 pt-3.5" data-testid="lorebook-section">
      <div className="flex items-center gap-2">
        <h3 className="flex-1 text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Lorebooks · world info in this scene&apos;s prompts</h3>
        <Button size="sm" variant="ghost" className="h-6 px-2 text-[11px]" data-testid="lorebook-attach" disabled={busy} onClick={() => input.current?.click()} title="Attach a SillyTavern world-info JSON file (or a card's lorebook)">
          <Icon name="plus" className="size-3" /> Attach
        </Button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          className="hidden"
          data-testid="lorebook-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file !== undefined) void attach(file);
          }}
        />
      </div>
      {books.length === 0 ? (
        <p className="text-xs text-zinc-500">None. Entries fire when their keys appear in recent turns (constant entries always) and are written into the document as prose.</p>
      ) : (
        <ul className="flex flex-col gap-1.5">
          {books.map((book) => {
            const constant = book.entries.filter((e) => e.enabled && e.constant).length;
            const keyed = book.entries.filter((e) => e.enabled && !e.constant).length;
            return (
              <li key={book.id} data-testid="lorebook" className="flex items-center gap-2 rounded-md border border-zinc-800 bg-zinc-950/40 px-2.5 py-1.5 text-xs">
                <Icon name="library" className="size-3.5 shrink-0 text-emerald-400/80" />
                <span className="flex min-w-0 flex-1 flex-col">
                  <span className="truncate text-zinc-200" title={`${book.name} — from ${book.source}`}>
                    {book.name}
                  </span>
                  <span className="text-[10.5px] text-zinc-500 tabular-nums">
                    {constant} constant · {keyed} keyed · scans {book.scanDepth} turn{book.scanDepth === 1 ? "" : "s"}
                    {book.tokenBudget === null ? "" : ` · ≤${book.tokenBudget} tokens`}
                  </span>
                </span>
                <Button size="sm" variant="ghost" className="h-6 px-1.5" aria-label={`Remove ${book.name}`} disabled={busy} onClick={() => void remove(book.id)}>
                  <Icon name="x" className="size-3" />
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {warnings !== null && <LoreWarnings book={warnings.book} lines={warnings.lines} onDismiss={() => setWarnings(null)} />}
      {error !== null && <p className="text-[11px] text-rose-300">{error}</p>}
    </section>
  );
}

/** Keys of a just-attached book that never match: the first few, and how many more. */
function LoreWarnings({ book, lines, onDismiss }: { book: string; lines: readonly string[]; onDismiss: () => void }) {
  const shown = lines.slice(0, 4);
  return (
    <div data-testid="lorebook-warnings" role="status" className="flex items-start gap-2 rounded-md border border-amber-500/30 bg-amber-500/5 px-2.5 py-1.5 text-[11px] text-amber-200/90">
      <Icon name="info" className="mt-0.5 size-3.5 shrink-0 text-amber-400" />
      <div className="flex min-w-0 flex-1 flex-col gap-0.5">
        <span>
          {book}: {lines.length} key{lines.length === 1 ? "" : "s"} will never match. The entries stay as written; fix the keys in the file and attach it again.
        </span>
        {shown.map((line) => (
          <span key={line} className="break-words text-amber-200/70">
            {line.replace(/^Lorebook "[^"]*", /, "")}
          </span>
        ))}
        {lines.length > shown.length && <span className="text-amber-200/70">… and {lines.length - shown.length} more.</span>}
      </div>
      <Button size="sm" variant="ghost" className="h-5 px-1" aria-label="Dismiss lorebook warnings" onClick={onDismiss}>
        <Icon name="x" className="size-3" />
      </Button>
    </div>
  );
}

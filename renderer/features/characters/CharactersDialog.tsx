import { useCallback, useMemo } from "react";
import { useEngineState } from "../../state/engineState";
import { Dialog } from "../../ui/Dialog";
import { Spinner } from "../../ui/Spinner";
import { CardImportZone } from "./CardImportZone";
import { closeCharacters, startCharacter } from "./characterActions";
import { CharacterEntryCard } from "./CharacterEntryCard";
import { CharacterPreview } from "./CharacterPreview";
import { groupByPair, useCharacters, variantLabel } from "./charactersView";

/** "Characters": a new tree from the built-in contrasting pairs side by side, a preview, and card import. */
export function CharactersDialog() {
  const entries = useCharacters((s) => s.entries);
  const selectedId = useCharacters((s) => s.selectedId);
  const projectOpen = useEngineState((s) => s.project !== null);
  const pairs = useMemo(() => groupByPair(entries ?? []), [entries]);
  const selected = entries?.find((e) => e.id === selectedId) ?? entries?.[0] ?? null;
  const selectedRule = pairs.find((p) => p.pairId === selected?.pairId)?.rule ?? null;
  const select = useCallback((id: string) => useCharacters.set({ selectedId: id }), []);
  const start = useCallback((id: string) => void startCharacter(id, useCharacters.get().treeName), []);
  return (
    <Dialog
      size="xl"
      data-testid="characters-dialog"
      title="Characters"
      description="Contrasting pairs of simulacra: the same document framed for the intended character (luigi) and for its adversarial twin (waluigi), and the luigi frame with its rule stated out loud. Each starts a new tree whose root is the frame."
      onClose={closeCharacters}
      bodyClassName="grid h-[68vh] min-h-0 grid-cols-[minmax(0,1fr)_360px]"
    >
      <div className="flex min-h-0 flex-col gap-5 overflow-y-auto px-5 py-4">
        <CardImportZone disabled={!projectOpen} />
        {entries === null ? (
          <div className="flex items-center gap-2 text-xs text-zinc-500">
            <Spinner label="Reading the characters" /> Reading the characters…
          </div>
        ) : (
          pairs.map((pair) => (
            <section key={pair.pairId} className="flex flex-col gap-2" data-testid="character-pair" data-pair-id={pair.pairId}>
              <header className="flex flex-col gap-0.5">
                <h3 className="flex items-center gap-2 text-[13px] font-semibold text-zinc-100">
                  {pair.title}
                  {pair.narrative && <span className="rounded bg-zinc-800 px-1.5 py-px text-[9.5px] font-semibold tracking-wide text-zinc-400 uppercase ring-1 ring-zinc-700">narrative</span>}
                </h3>
                <p className="text-xs leading-relaxed text-zinc-500">{pair.summary}</p>
              </header>
              <div className="grid grid-cols-3 gap-2" role="group" aria-label={pair.title}>
                {pair.entries.map((entry) => (
                  <CharacterEntryCard key={entry.id} entry={entry} rule={pair.rule} selected={entry.id === selected?.id} onSelect={select} onStart={start} />
                ))}
              </div>
            </section>
          ))
        )}
      </div>
      <aside className="flex min-h-0 flex-col overflow-y-auto rounded-br-xl border-l border-zinc-800 bg-zinc-950/40 px-5 py-4" aria-label={selected === null ? "Preview" : `${variantLabel(selected)} preview`}>
        {selected !== null && <CharacterPreview entry={selected} rule={selectedRule} projectOpen={projectOpen} onStart={() => start(selected.id)} />}
      </aside>
    </Dialog>
  );
}

import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Field } from "../../ui/Field";
import { Icon } from "../../ui/Icon";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { RoleTag } from "./RoleTag";
import { useCharacters, type CharacterEntry } from "./charactersView";

/** The selected entry in full: the exact frame the new tree's root will hold, its speakers, and Start. */
export function CharacterPreview({ entry, rule, projectOpen, onStart }: { entry: CharacterEntry; rule: string | null; projectOpen: boolean; onStart: () => void }) {
  const ruleAt = entry.ruleStated && rule !== null ? entry.frame.lastIndexOf(rule) : -1;
  const treeName = useCharacters((s) => s.treeName);
  const busy = useCharacters((s) => s.busy);
  const error = useCharacters((s) => s.error);
  return (
    <div className="flex min-h-0 flex-col gap-4" data-testid="character-preview">
      <div className="flex flex-col gap-1.5">
        <RoleTag role={entry.role} ruleStated={entry.ruleStated} className="self-start" />
        <h3 className="text-[15px] font-semibold tracking-tight text-zinc-50">{entry.name}</h3>
        <p className="text-xs leading-relaxed text-zinc-400">{entry.description}</p>
      </div>
      <section className="flex min-h-0 flex-col gap-1.5">
        <h4 className="text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Frame · the root of the new tree</h4>
        <pre className="max-h-64 min-h-0 overflow-y-auto rounded-md border border-zinc-800 bg-zinc-950/80 p-3 font-mono text-[11.5px] leading-[1.65] break-words whitespace-pre-wrap text-zinc-200">
          {ruleAt === -1 ? (
            entry.frame
          ) : (
            <>
              {entry.frame.slice(0, ruleAt)}
              <mark className="rounded-sm bg-amber-400/15 px-0.5 text-amber-100 ring-1 ring-amber-400/30" title="The stated rule">
                {entry.frame.slice(ruleAt)}
              </mark>
            </>
          )}
        </pre>
      </section>
      <section className="flex flex-col gap-1.5">
        <h4 className="text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Turns</h4>
        {entry.speakers.length === 0 ? (
          <p className="text-xs text-zinc-400">Narrative: the model continues the story as raw text (no speaker tags).</p>
        ) : (
          <p className="flex flex-wrap items-center gap-1.5 text-xs text-zinc-400">
            {entry.speakers.map((speaker, i) => (
              <span key={speaker} className="flex items-center gap-1.5">
                {i > 0 && <span className="text-zinc-500">→</span>}
                <span className="rounded bg-zinc-800 px-1.5 py-px font-mono text-[11px] text-zinc-200 ring-1 ring-zinc-700/70">{speaker}:</span>
              </span>
            ))}
            <span className="text-zinc-500">in turn; the model plays every turn in self-play.</span>
          </p>
        )}
      </section>
      <Field label="Tree name" hint={projectOpen ? "A new tree in this project." : "No project is open: a new project is created for it."}>
        {(id) => (
          <TextInput
            id={id}
            data-testid="character-tree-name-input"
            placeholder={entry.name}
            value={treeName}
            onChange={(e) => useCharacters.set({ treeName: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === "Enter") onStart();
            }}
          />
        )}
      </Field>
      {error !== null && <Callout tone="error" title={error.message} data-testid="character-error" />}
      <Button variant="primary" className="h-9" data-testid="character-start-button" disabled={busy} onClick={onStart}>
        {busy ? <Spinner className="size-3.5" label="Starting" /> : <Icon name="play" className="size-3" />}
        Start a tree with {entry.role === "luigi" ? "this luigi" : entry.role === "waluigi" ? "this waluigi" : "this scene"}
      </Button>
    </div>
  );
}

import { memo } from "react";
import { cx } from "../../ui/cx";
import { RoleTag } from "./RoleTag";
import { framePersonaPart, type CharacterEntry } from "./charactersView";

export interface CharacterEntryCardProps {
  entry: CharacterEntry;
  /** The stated rule, for the rule-stated variant. */
  rule: string | null;
  selected: boolean;
  onSelect: (id: string) => void;
  onStart: (id: string) => void;
}

/**
 * One variant of a pair: its role, name and description, and the part of its frame that sets
 * the persona (the rule, where it is stated). Double-click starts it.
 */
export const CharacterEntryCard = memo(function CharacterEntryCard({ entry, rule, selected, onSelect, onStart }: CharacterEntryCardProps) {
  return (
    <button
      type="button"
      data-testid="character-entry"
      data-entry-id={entry.id}
      aria-pressed={selected}
      onClick={() => onSelect(entry.id)}
      onDoubleClick={() => onStart(entry.id)}
      className={cx(
        "group flex min-w-0 flex-col gap-1.5 rounded-lg border p-2.5 text-left transition-colors focus-visible:outline-2 focus-visible:outline-violet-400",
        selected ? "border-violet-500/60 bg-violet-500/[0.08] shadow-[0_0_0_1px_rgb(139_92_246/0.25)]" : "border-zinc-800 bg-zinc-950/40 hover:border-zinc-700 hover:bg-zinc-800/40",
      )}
    >
      <RoleTag role={entry.role} ruleStated={entry.ruleStated} />
      <span className="truncate text-[12.5px] font-medium text-zinc-100">{entry.name}</span>
      <span className="line-clamp-3 font-mono text-[10.5px] leading-[1.55] text-zinc-500 group-hover:text-zinc-400">
        {entry.ruleStated && rule !== null ? <span className="text-amber-200/90">{rule}</span> : framePersonaPart(entry.frame)}
      </span>
    </button>
  );
});

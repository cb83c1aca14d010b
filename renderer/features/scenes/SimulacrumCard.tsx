import { memo, useRef, useState } from "react";
import type { Simulacrum } from "../../../engine/common/project/types.js";
import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";
import { Select } from "../../ui/Select";
import { exportCard, setSimulacrumPicture } from "../characters/characterActions";
import { RoleTag } from "../characters/RoleTag";

const sources: Record<Simulacrum["source"], string> = { builtin: "built-in", card: "card", user: "yours" };

/**
 * A simulacrum of the project: its picture (set or replace it with a PNG), and Character Card
 * export (JSON, PNG with the card in the picture's text chunks, or a CharX archive).
 */
export const SimulacrumCard = memo(function SimulacrumCard({ simulacrum }: { simulacrum: Simulacrum }) {
  const [version, setVersion] = useState<2 | 3>(simulacrum.card?.spec === "chara_card_v3" ? 3 : 2);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const imported = simulacrum.card !== null;
  const pictureInput = useRef<HTMLInputElement>(null);
  const run = async (format: "json" | "png" | "charx") => {
    setBusy(true);
    setError(await exportCard(simulacrum.id, format, version));
    setBusy(false);
  };
  const setPicture = async (file: File | null) => {
    setBusy(true);
    setError(await setSimulacrumPicture(simulacrum.id, file));
    setBusy(false);
  };
  const picture = simulacrum.picture ? `data:image/png;base64,${simulacrum.picture.dataBase64}` : null;
  return (
    <li className="flex flex-col gap-1.5 rounded-lg border border-zinc-800 bg-zinc-950/40 p-2.5" data-testid="simulacrum-card" data-simulacrum-id={simulacrum.id}>
      <div className="flex items-center gap-1.5">
        <button
          type="button"
          data-testid="simulacrum-picture"
          className="size-8 shrink-0 overflow-hidden rounded-md bg-zinc-800 ring-1 ring-zinc-700 hover:ring-violet-400/60"
          title={picture === null ? "Set a picture (PNG)" : "Replace the picture (PNG)"}
          disabled={busy}
          onClick={() => pictureInput.current?.click()}
        >
          {picture === null ? <Icon name="plus" className="mx-auto size-3.5 text-zinc-500" /> : <img src={picture} alt={`Picture of ${simulacrum.name}`} className="size-full object-cover" />}
        </button>
        <input
          ref={pictureInput}
          type="file"
          accept=".png,image/png"
          className="hidden"
          data-testid="simulacrum-picture-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file !== undefined) void setPicture(file);
          }}
        />
        <span className="min-w-0 flex-1 truncate text-[12.5px] font-medium text-zinc-100">{simulacrum.name}</span>
        {simulacrum.pair !== null && <RoleTag role={simulacrum.pair.role} ruleStated={simulacrum.pair.ruleStated} />}
        <span className="rounded bg-zinc-800 px-1.5 py-px text-[9.5px] font-semibold tracking-wide text-zinc-400 uppercase ring-1 ring-zinc-700">{sources[simulacrum.source]}</span>
      </div>
      <p className="line-clamp-2 text-[11px] leading-snug text-zinc-500" title={simulacrum.description}>
        <span className="font-mono text-zinc-300">{simulacrum.speaker}:</span> {simulacrum.description}
      </p>
      <div className="flex flex-wrap items-center gap-1.5">
        <div className="w-[4.5rem] shrink-0">
          <Select
            aria-label="Card version"
            className="h-6 pr-6 text-[11px]"
            value={version}
            disabled={imported}
            title={imported ? "An imported card is exported exactly as it was read" : "Character Card spec version"}
            onChange={(e) => setVersion(Number(e.target.value) as 2 | 3)}
          >
            <option value={2}>V2</option>
            <option value={3}>V3</option>
          </Select>
        </div>
        <Button size="sm" variant="ghost" className="h-6 px-2 text-[11px]" data-testid="card-export-json" disabled={busy} onClick={() => void run("json")} title="Download a Character Card JSON file">
          <Icon name="download" className="size-3" /> JSON
        </Button>
        <Button size="sm" variant="ghost" className="h-6 px-2 text-[11px]" data-testid="card-export-png" disabled={busy} onClick={() => void run("png")} title="Download a PNG with the card in its text chunks">
          <Icon name="download" className="size-3" /> PNG
        </Button>
        <Button size="sm" variant="ghost" className="h-6 px-2 text-[11px]" data-testid="card-export-charx" disabled={busy} onClick={() => void run("charx")} title="Download a CharX archive (card.json with the picture and any assets)">
          <Icon name="download" className="size-3" /> CharX
        </Button>
        {picture !== null && (
          <Button size="sm" variant="ghost" className="h-6 px-1.5 text-[11px] text-zinc-500" data-testid="simulacrum-picture-remove" disabled={busy} onClick={() => void setPicture(null)} title="Remove the picture">
            <Icon name="x" className="size-3" />
          </Button>
        )}
        {imported && <span className="ml-auto text-[10.5px] text-zinc-500">as imported</span>}
      </div>
      {error !== null && <p className="text-[11px] text-rose-300">{error}</p>}
    </li>
  );
});

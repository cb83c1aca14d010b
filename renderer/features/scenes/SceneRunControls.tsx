import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { inputClass } from "../../ui/inputClass";
import { mergeClasses } from "../../ui/mergeClasses";
import { TextInput } from "../../ui/TextInput";
import { CounterfactualFields } from "./CounterfactualFields";
import { parseTurns, scriptLines, selfPlay, useSceneRun } from "./sceneRunActions";
import { useSceneInForce } from "./useScene";

/**
 * Under the generate control in a scene tree: self-play H turns from the active node (user
 * lines from a script, or the model plays the user too), and "another frame…", which
 * regenerates a turn (and the rest of the path) under another scene's frame.
 */
export function SceneRunControls({ nodeId }: { nodeId: string }) {
  const { scene } = useSceneInForce();
  const turns = useSceneRun((s) => s.turns);
  const script = useSceneRun((s) => s.script);
  const scriptOpen = useSceneRun((s) => s.scriptOpen);
  const cfOpen = useSceneRun((s) => s.counterfactualOpen);
  const ready = useEngineState((s) => s.loaded !== null && s.loadingPath === null);
  const running = useEngineState((s) => s.branchJob?.status === "running");
  if (scene === null) return null;
  const dialogue = scene.participants.length > 0;
  const h = parseTurns(turns);
  const lines = scriptLines(script).length;
  const selfPlayBlocker = !dialogue ? "A narrative scene has no speakers to alternate: use Generate" : !ready ? "Load a model first" : h === null ? "Turns: 1–200" : null;
  return (
    <div className="flex flex-col gap-2" data-testid="scene-run-controls">
      {scriptOpen && dialogue && (
        <div className="flex flex-col gap-1 rounded-md border border-zinc-800 bg-zinc-950/40 p-2.5">
          <label htmlFor="self-play-script" className="text-[11px] font-medium text-zinc-400">
            User lines for self-play, one per line — used in order; once they run out the model plays the user too
            {scene.script.length > 0 && ` (empty: the scene's ${scene.script.length}-line script)`}.
          </label>
          <textarea
            id="self-play-script"
            data-testid="self-play-script-input"
            rows={3}
            spellCheck={false}
            placeholder={"Can you help me with my homework?\nThat answer was wrong."}
            value={script}
            onChange={(e) => useSceneRun.set({ script: e.target.value })}
            className={mergeClasses(inputClass, "resize-y py-1.5 font-mono text-xs leading-snug")}
          />
        </div>
      )}
      {cfOpen && <CounterfactualFields activeId={nodeId} />}
      <div className="flex items-center gap-2">
        <Button
          size="sm"
          variant="secondary"
          className="h-8"
          data-testid="self-play-button"
          disabled={running || selfPlayBlocker !== null}
          title={selfPlayBlocker ?? `The model plays ${h} turn${h === 1 ? "" : "s"} after the active node, alternating ${scene.participants.map((p) => p.speaker).join(" / ")}`}
          onClick={() => void selfPlay(nodeId)}
        >
          <Icon name="users" className="size-3.5 text-violet-300" />
          Self-play
        </Button>
        <label className="flex w-[5.5rem] items-center gap-1.5 text-[11px] text-zinc-400" title="How many turns self-play adds (1–200)">
          <TextInput
            data-testid="self-play-turns-input"
            inputMode="numeric"
            className="h-8 text-center font-mono"
            value={turns}
            aria-invalid={h === null || undefined}
            onChange={(e) => useSceneRun.set({ turns: e.target.value })}
          />
          turns
        </label>
        <Button
          size="sm"
          variant="ghost"
          className={cx("h-8", scriptOpen && "bg-zinc-800/70 text-zinc-100")}
          aria-expanded={scriptOpen}
          disabled={!dialogue}
          data-testid="self-play-script-toggle"
          onClick={() => useSceneRun.set({ scriptOpen: !scriptOpen })}
          title="Lines for the user's turns"
        >
          <Icon name="note" className="size-3.5" />
          Script{lines > 0 && <span className="rounded bg-violet-500/20 px-1 font-mono text-[10px] text-violet-200">{lines}</span>}
        </Button>
        <div className="mx-1 h-5 w-px bg-zinc-800" />
        <Button
          size="sm"
          variant="ghost"
          className={cx("h-8", cfOpen && "bg-zinc-800/70 text-zinc-100")}
          aria-expanded={cfOpen}
          data-testid="counterfactual-open-button"
          onClick={() => useSceneRun.set({ counterfactualOpen: !cfOpen })}
          title="Regenerate a turn — and the rest of the path — under another scene's frame, as a new branch"
        >
          <Icon name="swap" className="size-3.5 text-rose-300" />
          Another frame…
        </Button>
        <span className="ml-auto truncate text-[11px] text-zinc-500" title={scene.name}>
          scene <span className="text-zinc-300">{scene.name}</span>
        </span>
      </div>
    </div>
  );
}

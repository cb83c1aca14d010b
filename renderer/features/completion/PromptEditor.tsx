import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { inputClass } from "../../ui/inputClass";
import { Kbd } from "../../ui/Kbd";
import { Spinner } from "../../ui/Spinner";
import { appendToPrompt, cancel, generate } from "./completionActions";
import { sendToTree } from "./sendToTree";
import { parseSettings, useCompletionSettings } from "./completionSettings";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** The raw prompt (a document prefix: base models have no chat template) and the run controls. */
export function PromptEditor() {
  const prompt = useCompletionSettings((s) => s.prompt);
  const settingsValid = useCompletionSettings((s) => parseSettings(s).ok);
  const modelLoaded = useEngineState((s) => s.loaded !== null);
  const modelLoading = useEngineState((s) => s.loadingPath !== null);
  const running = useEngineState((s) => s.job?.status === "running");
  const cancelling = useEngineState((s) => s.job?.cancelling ?? false);
  const hasResult = useEngineState((s) => (s.job?.result?.text ?? "") !== "");
  const blocker = modelLoading ? "Loading the model…" : !modelLoaded ? "Load a model first" : !settingsValid ? "Fix the highlighted sampler settings" : null;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <textarea
        data-testid="prompt-input"
        aria-label="Prompt"
        spellCheck={false}
        placeholder={"Once upon a time…\n\nA base model continues whatever document you start."}
        value={prompt}
        onChange={(e) => useCompletionSettings.set({ prompt: e.target.value })}
        className={cx(inputClass, "min-h-0 flex-1 resize-none rounded-none border-0 bg-transparent px-4 py-3 font-mono leading-relaxed focus:ring-0")}
      />
      <div className="flex h-12 shrink-0 items-center gap-2 border-t border-zinc-800 px-3">
        {running ? (
          <Button variant="danger" data-testid="cancel-button" onClick={() => void cancel()} disabled={cancelling}>
            {cancelling ? <Spinner label="Cancelling" /> : <Icon name="stop" className="size-3" />}
            Cancel
            <Kbd>Esc</Kbd>
          </Button>
        ) : (
          <Button variant="primary" data-testid="generate-button" onClick={() => void generate()} disabled={blocker !== null} title={blocker ?? undefined}>
            <Icon name="play" className="size-3" />
            Generate
            <Kbd>{isMac ? "⌘" : "Ctrl"}+↵</Kbd>
          </Button>
        )}
        {running && (
          <span className="flex items-center gap-2 text-xs text-violet-200">
            <Spinner className="size-3" label="Generating" /> streaming
          </span>
        )}
        {!running && blocker !== null && <span className="text-xs text-zinc-500">{blocker}</span>}
        <div className="ml-auto flex items-center gap-3">
        {!running && hasResult && (
          <Button size="sm" variant="ghost" onClick={appendToPrompt} title="Append the generated text to the prompt, to keep writing from there">
            <Icon name="append" className="size-3" />
            Append output
          </Button>
        )}
        {!running && prompt.length + (hasResult ? 1 : 0) > 0 && (
          <Button size="sm" variant="ghost" data-testid="send-to-tree-button" onClick={() => void sendToTree()} title="Start a new tree from the prompt and the output shown (in the open project, or a new one)">
            <Icon name="branch" className="size-3" />
            Send to tree
          </Button>
        )}
        <span className="text-[11px] text-zinc-400 tabular-nums">{prompt.length.toLocaleString("en-US")} chars</span>
        </div>
      </div>
    </div>
  );
}

import { useState } from "react";
import { engine, errorPayloadOf } from "../../engineClient";
import { useEngineState } from "../../state/engineState";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { Field } from "../../ui/Field";
import { FormDialog } from "../../ui/FormDialog";
import { TextInput } from "../../ui/TextInput";
import { showError, useTreeView } from "./treeView";

type Mode = "path" | "subtree";

const modes: Array<[Mode, string, string]> = [
  ["path", "The path to this node", "The conversation up to here, as a tree of its own to grow from."],
  ["subtree", "The path and everything below it", "Also every branch that grows from this node."],
];

/** "New tree from here": a copy of a node's path (or path and subtree) as a new tree, shown at once. */
export function TreeFromNodeDialog({ nodeId }: { nodeId: string }) {
  const treeName = useEngineState((s) => {
    const node = s.project?.nodes.get(nodeId);
    return node === undefined ? null : (s.project?.trees.get(node.treeId)?.name ?? null);
  });
  const [name, setName] = useState(`${treeName ?? "Tree"} (from here)`);
  const [mode, setMode] = useState<Mode>("path");
  const [busy, setBusy] = useState(false);
  const error = useTreeView((s) => s.error);
  const close = () => useTreeView.set({ dialog: null, error: null, treeFromNodeId: null });
  const submit = async () => {
    if (name.trim() === "" || busy) return;
    setBusy(true);
    try {
      await engine.call("perform", { command: "newTreeFromNode", args: { nodeId, mode, name: name.trim() } });
      // The newest tree is shown by default.
      useTreeView.set({ treeId: null, dialog: null, error: null, treeFromNodeId: null });
    } catch (e) {
      showError(errorPayloadOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog
      title="New tree from here"
      description="The copy keeps every node's text, speaker, frame and generation record (so replay still works); the original tree is unchanged. Undo removes the copy."
      onClose={close}
      submitLabel={"Create tree"}
      submitTestId="tree-from-node-create"
      canSubmit={name.trim() !== "" && !busy}
      onSubmit={() => void submit()}
    >
      <Field label="Name">{(id) => <TextInput id={id} autoFocus data-testid="tree-from-node-name" value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1.5 text-xs font-medium text-zinc-300">Copy</legend>
        {modes.map(([value, label, hint]) => (
          <label
            key={value}
            className={cx(
              "flex cursor-pointer items-start gap-2.5 rounded-md border px-3 py-2",
              mode === value ? "border-violet-500/50 bg-violet-500/[0.07]" : "border-zinc-800 hover:border-zinc-700",
            )}
          >
            <input
              type="radio"
              name="tree-from-node-mode"
              data-testid={`tree-from-node-${value}`}
              className="mt-0.5 accent-violet-500"
              checked={mode === value}
              onChange={() => setMode(value)}
            />
            <span className="flex flex-col">
              <span className="text-[13px] text-zinc-100">{label}</span>
              <span className="text-xs text-zinc-400">{hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error !== null && <Callout tone="error" title={error.message} />}
    </FormDialog>
  );
}

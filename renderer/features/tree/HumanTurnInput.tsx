import { useState } from "react";
import { Button } from "../../ui/Button";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { inputClass } from "../../ui/inputClass";
import { addHumanTurn } from "./nodeActions";

export const HUMAN_TURN_INPUT_ID = "tree-human-turn";

/** Text written by a person, added as a child of the active node (exactly as typed). */
export function HumanTurnInput({ parentId }: { parentId: string }) {
  const [text, setText] = useState("");
  const add = async () => {
    if (text === "") return;
    if (await addHumanTurn(parentId, text)) setText("");
  };
  return (
    <div className="flex items-end gap-2">
      <textarea
        id={HUMAN_TURN_INPUT_ID}
        data-testid="human-turn-input"
        aria-label="Add text as a child of the active node"
        spellCheck={false}
        rows={Math.min(5, Math.max(1, text.split("\n").length))}
        placeholder="Write the next part yourself…  (↵ adds · Shift+↵ new line)"
        title="Appended to the document exactly as typed: mind the leading space or newline."
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void add();
          } else if (e.key === "Escape") e.currentTarget.blur();
        }}
        className={cx(inputClass, "min-h-8 resize-none py-[7px] font-mono text-[12.5px] leading-snug")}
      />
      <Button data-testid="human-turn-add" disabled={text === ""} onClick={() => void add()} title="Add as a child of the active node">
        <Icon name="user" className="size-3.5" />
        Add
      </Button>
    </div>
  );
}

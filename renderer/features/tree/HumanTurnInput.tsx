import { useState } from "react";
import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";
import { inputClass } from "../../ui/inputClass";
import { mergeClasses } from "../../ui/mergeClasses";
import { Select } from "../../ui/Select";
import { useSceneInForce } from "../scenes/useScene";
import { addHumanTurn } from "./nodeActions";

export const HUMAN_TURN_INPUT_ID = "tree-human-turn";

/**
 * Text written by a person, added as a child of the active node. In a raw tree it is appended
 * exactly as typed; in a scene it is a turn of the chosen speaker (the next one by default).
 */
export function HumanTurnInput({ parentId }: { parentId: string }) {
  const [text, setText] = useState("");
  const [speakerChoice, setSpeakerChoice] = useState<string | null>(null);
  const { scene, nextSpeaker } = useSceneInForce();
  const speakers = scene?.participants.map((p) => p.speaker) ?? [];
  const speaker = speakers.length === 0 ? null : speakerChoice !== null && speakers.includes(speakerChoice) ? speakerChoice : (nextSpeaker ?? speakers[0]!);
  const add = async () => {
    if (text === "") return;
    if (await addHumanTurn(parentId, text, speaker)) {
      setText("");
      setSpeakerChoice(null);
    }
  };
  return (
    <div className="flex items-end gap-2">
      {speaker !== null && (
        <div className="w-32 shrink-0">
          <Select
            aria-label="Speaker of the turn"
            data-testid="human-turn-speaker"
            className="font-mono text-xs"
            value={speaker}
            onChange={(e) => setSpeakerChoice(e.target.value)}
            title="Who speaks this turn (the scene's next speaker by default)"
          >
            {speakers.map((s) => (
              <option key={s} value={s}>
                {s}:
              </option>
            ))}
          </Select>
        </div>
      )}
      <textarea
        id={HUMAN_TURN_INPUT_ID}
        data-testid="human-turn-input"
        aria-label="Add text as a child of the active node"
        spellCheck={false}
        rows={Math.min(5, Math.max(1, text.split("\n").length))}
        placeholder={speaker === null ? "Write the next part yourself…  (↵ adds · Shift+↵ new line)" : `Write ${speaker}'s turn yourself…  (↵ adds · Shift+↵ new line)`}
        title={speaker === null ? "Appended to the document exactly as typed: mind the leading space or newline." : `Added as “${speaker}:” followed by your text.`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void add();
          } else if (e.key === "Escape") e.currentTarget.blur();
        }}
        className={mergeClasses(inputClass, "min-h-8 resize-none py-[7px] font-mono text-[12.5px] leading-snug")}
      />
      <Button data-testid="human-turn-add" disabled={text === ""} onClick={() => void add()} title="Add as a child of the active node">
        <Icon name="user" className="size-3.5" />
        Add
      </Button>
    </div>
  );
}

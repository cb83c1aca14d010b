import type { Participant, Scene } from "../../../engine/common/project/types.js";
import { parseStopSequences } from "../completion/parseStopSequences";
import { formatStopSequences } from "../tree/generateSettings";

/**
 * The scene editor's form. Separators are shown with visible escapes (`\n`), since a blank
 * line and a newline look alike in a text box; the script is one user line per line.
 */
export interface SceneForm {
  name: string;
  frame: string;
  participants: Array<{ speaker: string; simulacrumId: string; role: Participant["role"] }>;
  frameSeparator: string;
  turnSeparator: string;
  speakerSuffix: string;
  stopAtBlankLine: boolean;
  extraStops: string;
  script: string;
}

export type SceneErrors = Partial<Record<"name" | "participants" | "extraStops" | "script", string>>;

/** Newline, tab and backslash as `\n`, `\t`, `\\`. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
}

export function unescapeText(text: string): string {
  return text.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch === "t" ? "\t" : ch));
}

export function sceneToForm(scene: Scene): SceneForm {
  return {
    name: scene.name,
    frame: scene.frame,
    participants: scene.participants.map((p) => ({ speaker: p.speaker, simulacrumId: p.simulacrumId ?? "", role: p.role })),
    frameSeparator: escapeText(scene.format.frameSeparator),
    turnSeparator: escapeText(scene.format.turnSeparator),
    speakerSuffix: escapeText(scene.format.speakerSuffix),
    stopAtBlankLine: scene.format.stopAtBlankLine,
    extraStops: formatStopSequences(scene.format.extraStops),
    script: scene.script.join("\n"),
  };
}

/** Validates the form into the scene record to put (same id and built-in link). */
export function formToScene(scene: Scene, form: SceneForm): { ok: true; scene: Scene } | { ok: false; errors: SceneErrors } {
  const errors: SceneErrors = {};
  if (form.name.trim() === "") errors.name = "A scene needs a name";
  const speakers = form.participants.map((p) => p.speaker.trim());
  if (speakers.some((s) => s === "")) errors.participants = "Every participant needs a speaker tag";
  else if (new Set(speakers).size !== speakers.length) errors.participants = "Speaker tags must differ";
  else if (speakers.length > 16) errors.participants = "At most 16 participants";
  const extraStops = parseStopSequences(form.extraStops);
  if (extraStops.length > 16) errors.extraStops = "At most 16 stop sequences";
  const script = form.script.split("\n").filter((l) => l.trim() !== "");
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    scene: {
      ...scene,
      name: form.name.trim(),
      frame: form.frame,
      participants: form.participants.map((p) => ({ speaker: p.speaker.trim(), simulacrumId: p.simulacrumId === "" ? null : p.simulacrumId, role: p.role })),
      format: {
        frameSeparator: unescapeText(form.frameSeparator),
        turnSeparator: unescapeText(form.turnSeparator),
        speakerSuffix: unescapeText(form.speakerSuffix),
        stopAtBlankLine: form.stopAtBlankLine,
        extraStops,
      },
      script,
    },
  };
}

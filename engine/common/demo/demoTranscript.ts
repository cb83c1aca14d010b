import { DEMO_MODEL, type DemoFrame } from "./demoFrames.js";

/** One `Speaker: text` line of a demo transcript. */
export interface DemoTranscriptLine {
  /** "User", "Assistant", or null for a line without a known speaker tag. */
  readonly speaker: string | null;
  /** The text after "Speaker:" with its leading space removed (the whole line when speaker is null). */
  readonly text: string;
  /** False for the last line when the text did not end with a newline (generation was cut off). */
  readonly complete: boolean;
}

const { format } = DEMO_MODEL;

/** The demo frame with this id (throws on an unknown id: ids come from DEMO_MODEL). */
export function demoFrame(id: DemoFrame["id"]): DemoFrame {
  const frame = DEMO_MODEL.frames.find((f) => f.id === id);
  if (frame === undefined) throw new Error(`Unknown demo frame ${id}`);
  return frame;
}

/** The document prefix a demo rollout starts from: the frame line and a blank line. */
export function demoPrompt(frame: DemoFrame, paraphrase = 0): string {
  const line = frame.paraphrases[paraphrase];
  if (line === undefined) throw new Error(`Frame ${frame.id} has no paraphrase ${paraphrase}`);
  return line + format.frameSeparator;
}

/**
 * Splits the part of a demo transcript after the frame into speaker lines. Only the demo's
 * two speaker tags are recognised; anything else is a line with `speaker: null`.
 */
export function splitDemoTranscript(text: string): DemoTranscriptLine[] {
  const lines = text.split(format.turnSeparator);
  const complete = text.endsWith(format.turnSeparator);
  if (complete) lines.pop();
  const speakers = [format.userSpeaker, format.assistantSpeaker];
  return lines.map((line, i) => {
    const isComplete = complete || i < lines.length - 1;
    const speaker = speakers.find((s) => line.startsWith(s + ":")) ?? null;
    const body = speaker === null ? line : line.slice(speaker.length + 1).replace(/^ /, "");
    return { speaker, text: body, complete: isComplete };
  });
}

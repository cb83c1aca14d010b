// Its own module so the persona tracker can use it without importing project/types.ts
// (which imports the tracker's evidence types).

/** How turns are written into the document the model continues. */
export interface TranscriptFormat {
  /** Between the frame and the first turn (a blank line by default). */
  frameSeparator: string;
  /** Between turns. */
  turnSeparator: string;
  /** After the speaker tag: "User:" + " hello". */
  speakerSuffix: string;
  /** Also stop a turn at a blank line. */
  stopAtBlankLine: boolean;
  /** More stop sequences, beyond every participant's tag. */
  extraStops: string[];
}

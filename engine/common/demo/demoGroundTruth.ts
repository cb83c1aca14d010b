import { DEMO_MODEL } from "./demoFrames.js";
import { labelDemoTurn } from "./demoLabeller.js";

/**
 * The demo model's ground truth as an experiment labeller: luigi 0, waluigi 1, malformed -2.
 * Only for the demo model itself (matched by sha256): its turns are decidable from their text.
 */
export function demoGroundTruth(modelSha256: string): ((text: string) => number) | null {
  if (modelSha256 !== DEMO_MODEL.model.sha256) return null;
  return (text) => {
    const { state } = labelDemoTurn(text);
    return state === "luigi" ? 0 : state === "waluigi" ? 1 : -2;
  };
}

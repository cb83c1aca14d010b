import { showTab } from "../../app/appView";
import { readEngineState } from "../../state/engineState";
import { createProject, newTree } from "../tree/projectActions";
import { playgroundText } from "./completionActions";

/**
 * The playground's text (its prompt and the output shown) becomes the root of a new tree: in
 * the open project, or in a new project when none is open. The tree workspace then shows it.
 */
export async function sendToTree(): Promise<boolean> {
  const text = playgroundText();
  const name = `Playground ${new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`;
  const ok = readEngineState().project !== null ? await newTree(name, text) : await createProject("Playground", text);
  if (ok) showTab("tree");
  return ok;
}

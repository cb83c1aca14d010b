// Child process of the crash-safety test: performs a burst of tree operations on a project
// file and prints "ACK <n>" once operation n is durably on disk. The parent SIGKILLs it.
import { ProjectSession } from "../../engine/common/project/session.js";
import { createProjectFile } from "../../engine/node/projectFile.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext, makeOpPicker } from "./crashOps.js";

const [path, seedText, countText, compactText] = process.argv.slice(2);
const ctx = deterministicContext();
const state = newProjectState("Crash test", "Once upon a time", ctx);
const storage = await createProjectFile(path!, state);
const session = new ProjectSession(state, path!, storage, ctx, () => undefined, Number(compactText));
const pick = makeOpPicker(Number(seedText));
for (let i = 0; i < Number(countText); i++) {
  const op = pick(session.state, i);
  await session.perform(op.name, op.args as never);
  process.stdout.write(`ACK ${i + 1}\n`);
}
process.stdout.write("DONE\n");

// `npm run schema`: writes docs/project.schema.json from the engine's zod schemas.
import { writeFileSync } from "node:fs";
import { projectLineJsonSchema } from "../engine/common/project/jsonSchema.js";

writeFileSync("docs/project.schema.json", JSON.stringify(projectLineJsonSchema(), null, 2) + "\n");
console.log("wrote docs/project.schema.json");

// `npm run schema`: writes the published JSON Schemas from the engine's zod schemas:
// docs/project.schema.json and models/catalog.schema.json.
import { writeFileSync } from "node:fs";
import { catalogJsonSchema } from "../engine/common/modelCatalog.js";
import { projectLineJsonSchema } from "../engine/common/project/jsonSchema.js";

writeFileSync("docs/project.schema.json", JSON.stringify(projectLineJsonSchema(), null, 2) + "\n");
console.log("wrote docs/project.schema.json");
writeFileSync("models/catalog.schema.json", JSON.stringify(catalogJsonSchema(), null, 2) + "\n");
console.log("wrote models/catalog.schema.json");

import { TextInput } from "../../ui/TextInput";
import { SEARCH_INPUT_ID, setSearchQuery, useTreeSearch } from "./treeSearch";

/**
 * The tree's one search box (the outline and the map show the same query): typing searches,
 * Escape clears it and hands the keyboard back to the tree. "/" focuses it by its id.
 */
export function TreeSearchInput(props: { "data-testid": string; placeholder: string; className: string; "aria-label"?: string }) {
  const query = useTreeSearch((s) => s.query);
  return (
    <TextInput
      id={SEARCH_INPUT_ID}
      {...props}
      value={query}
      onChange={(e) => setSearchQuery(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          setSearchQuery("");
          e.currentTarget.blur();
        }
      }}
    />
  );
}

/** The tree workspace's keyboard map, shown by the shortcut sheet (?) and used by useTreeShortcuts. */
export const shortcutGroups: Array<{ title: string; keys: Array<[string[], string]> }> = [
  {
    title: "Navigate",
    keys: [
      [["↑"], "Parent"],
      [["↓"], "Child (the one last visited, else the first)"],
      [["←", "→"], "Previous / next sibling"],
      [["/"], "Search the project"],
    ],
  },
  {
    title: "Grow the tree",
    keys: [
      [["G"], "Generate N children of the active node"],
      [["C"], "Continue the active node (a longer sibling)"],
      [["A"], "Write the next part yourself"],
      [["P"], "Show the prompt for the next turn"],
      [["Esc"], "Cancel the running generation"],
    ],
  },
  {
    title: "Change the active node",
    keys: [
      [["E"], "Edit (saved as an “edited” sibling)"],
      [["B"], "Bookmark / remove bookmark"],
      [["R"], "Replay from the generation record"],
      [["Delete"], "Delete the subtree"],
    ],
  },
  {
    title: "History",
    keys: [
      [["Ctrl/⌘", "Z"], "Undo"],
      [["Ctrl/⌘", "Shift", "Z"], "Redo"],
      [["?"], "Show / hide this sheet"],
    ],
  },
];

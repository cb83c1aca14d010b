import type { SVGProps } from "react";

/** A few line icons (24×24, stroke = currentColor); glyphs vary too much between system fonts. */
const paths = {
  copy: "M9 9h10v10H9zM5 15V5h10",
  check: "M5 12.5l4.5 4.5L19 7.5",
  dice: "M5 5h14v14H5zM9 9h.01M15 9h.01M12 12h.01M9 15h.01M15 15h.01",
  refresh: "M20 11a8 8 0 1 0-2.3 5.7M20 5v6h-6",
  play: "M7 5l12 7-12 7z",
  stop: "M7 7h10v10H7z",
  chevron: "M9 6l6 6-6 6",
  append: "M4 6h12M4 12h8M4 18h6M16 12v8M12 16h8",
  undo: "M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11",
  redo: "M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13",
  star: "M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z",
  pencil: "M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16zM13.5 6.5l4 4",
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
  info: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v5M12 8h.01",
  tag: "M3 12V3h9l9 9-9 9zM7.5 7.5h.01",
  replay: "M4 12a8 8 0 1 0 2.3-5.7M4 4v5h5",
  continue: "M4 12h12M12 6l6 6-6 6M20 5v14",
  branch: "M6 3v12M6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 9a9 9 0 0 1-9 9",
  search: "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4",
  folder: "M3 6h6l2 2h10v11H3z",
  plus: "M12 5v14M5 12h14",
  save: "M5 4h11l3 3v13H5zM8 4v5h7M8 20v-6h8v6",
  keyboard: "M3 7h18v10H3zM7 11h.01M11 11h.01M15 11h.01M8 14h8",
  sidebar: "M4 5h16v14H4zM9 5v14",
  x: "M6 6l12 12M18 6L6 18",
  sparkle: "M12 3l1.9 5.1L19 10l-5.1 1.9L12 17l-1.9-5.1L5 10l5.1-1.9zM19 16l.8 2.2L22 19l-2.2.8L19 22l-.8-2.2L16 19l2.2-.8z",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4.5 21a7.5 7.5 0 0 1 15 0",
  doc: "M6 3h9l4 4v14H6zM14 3v5h5M9 13h6M9 17h4",
  import: "M12 4v11M7 10l5 5 5-5M5 20h14",
  note: "M5 4h14v11l-5 5H5zM14 20v-5h5M8 9h8M8 13h5",
  dots: "M5 12h.01M12 12h.01M19 12h.01",
  "chevron-down": "M6 9l6 6 6-6",
  "chevron-left": "M15 6l-6 6 6 6",
  library: "M4 4h4v16H4zM10 4h4v16h-4zM16.5 4.5l3.5 1-4 15-3.5-1z",
  eye: "M2.5 12S6 5 12 5s9.5 7 9.5 7-3.5 7-9.5 7-9.5-7-9.5-7zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
  swap: "M4 8h13l-4-4M20 16H7l4 4",
  upload: "M12 16V4M7 9l5-5 5 5M5 20h14",
  download: "M12 4v12M7 11l5 5 5-5M5 20h14",
  users: "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6.5 6.5 0 0 1 3.5 6",
  mask: "M4 6c5-2 11-2 16 0 0 7-3 12-8 12S4 13 4 6zM8.5 10.5h2M13.5 10.5h2M9.5 14.5c1.5 1 3.5 1 5 0",
  fold: "M7 4l5 5 5-5M7 20l5-5 5 5",
  unfold: "M7 9l5-5 5 5M7 15l5 5 5-5",
  server: "M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01",
  gauge: "M4 18a8 8 0 1 1 16 0M12 18l4-6",
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, className = "size-3.5", ...rest }: { name: IconName } & SVGProps<SVGSVGElement>) {
  const filled = name === "play" || name === "stop";
  const heavy = name === "dots";
  return (
    <svg
      viewBox="0 0 24 24"
      aria-hidden
      className={className}
      fill={filled ? "currentColor" : "none"}
      stroke="currentColor"
      strokeWidth={name === "dice" ? 1.8 : heavy ? 3 : 2}
      strokeLinecap="round"
      strokeLinejoin="round"
      {...rest}
    >
      <path d={paths[name]} />
    </svg>
  );
}

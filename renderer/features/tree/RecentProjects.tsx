import { useEffect } from "react";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { loadRecent, openProject, useRecentProjects } from "./projectActions";

/** Recently opened projects, newest first; a click opens one. */
export function RecentProjects({ className, limit = 8 }: { className?: string; limit?: number }) {
  const recent = useRecentProjects((s) => s.recent);
  // Reading the list is a fetch for what is on screen, not state kept in sync.
  useEffect(() => {
    void loadRecent();
  }, []);
  if (recent === null) return <p className="px-1 text-xs text-zinc-500">Reading recent projects…</p>;
  if (recent.length === 0) return <p className="px-1 text-xs text-zinc-500">No recent projects yet.</p>;
  return (
    <ul className={cx("flex flex-col gap-1", className)}>
      {recent.slice(0, limit).map((r) => (
        <li key={r.path}>
          <button
            type="button"
            data-testid="recent-project"
            onClick={() => void openProject(r.path)}
            title={r.path}
            className="group flex w-full items-center gap-3 rounded-md border border-zinc-800 bg-zinc-950/40 px-3 py-2 text-left transition-colors hover:border-violet-500/40 hover:bg-violet-500/5 focus-visible:outline-2 focus-visible:outline-violet-400"
          >
            <Icon name="branch" className="size-4 shrink-0 text-zinc-500 group-hover:text-violet-300" />
            <span className="flex min-w-0 flex-1 flex-col">
              <span className="truncate text-[13px] font-medium text-zinc-100">{r.name}</span>
              <span className="truncate font-mono text-[11px] text-zinc-500">{r.path}</span>
            </span>
            <span className="shrink-0 text-[11px] text-zinc-500">{formatWhen(r.openedAt)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function formatWhen(iso: string): string {
  const then = new Date(iso);
  // Projects carried over from an old recent list may not know when they were opened.
  if (Number.isNaN(then.getTime())) return "";
  const days = Math.floor((Date.now() - then.getTime()) / 86_400_000);
  if (days < 1) return then.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (days < 7) return `${days} d ago`;
  return then.toLocaleDateString();
}

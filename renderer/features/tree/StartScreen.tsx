import { showTab } from "../../app/appView";
import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";
import { Kbd } from "../../ui/Kbd";
import { openCharacters } from "../characters/characterActions";
import { FirstRunGate } from "../model/FirstRunGate";
import { openDialog } from "./ProjectDialogs";
import { RecentProjects } from "./RecentProjects";

/** Shown in the tree workspace while no project is open. */
export function StartScreen() {
  return (
    <main className="flex min-h-0 flex-1 items-start justify-center overflow-y-auto px-6 pt-[10vh] pb-10">
      <div className="flex w-[560px] max-w-full flex-col gap-8">
        <div className="flex flex-col items-center gap-3 text-center">
          <span aria-hidden className="flex size-12 items-center justify-center rounded-2xl bg-violet-500/10 ring-1 ring-violet-500/30">
            <Icon name="branch" className="size-6 text-violet-300" />
          </span>
          <h2 className="text-lg font-semibold tracking-tight text-zinc-50">Conversation trees</h2>
          <p className="max-w-md text-[13px] leading-relaxed text-zinc-400">
            Start from a prompt, generate several continuations at once, and keep every branch. Edit, continue, replay and compare them
            without losing any of the paths not taken.
          </p>
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Button variant="primary" className="h-11" data-testid="project-new-button" onClick={() => openDialog("new-project")}>
            <Icon name="plus" className="size-4" />
            New project
          </Button>
          <Button variant="secondary" className="h-11" data-testid="project-open-dialog-button" onClick={() => openDialog("open-project")}>
            <Icon name="folder" className="size-4" />
            Open…
          </Button>
          <button
            type="button"
            data-testid="characters-open-button"
            onClick={openCharacters}
            className="col-span-2 flex items-center gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 px-4 py-3 text-left transition-colors hover:border-violet-500/40 hover:bg-violet-500/[0.06] focus-visible:outline-2 focus-visible:outline-violet-400"
          >
            <span aria-hidden className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-gradient-to-br from-teal-500/20 to-rose-500/20 ring-1 ring-zinc-700">
              <Icon name="library" className="size-4 text-zinc-200" />
            </span>
            <span className="flex min-w-0 flex-col">
              <span className="text-[13px] font-medium text-zinc-100">Start from a character</span>
              <span className="text-xs text-zinc-500">Contrasting simulacra — assistant vs. broken-free, honest witness vs. liar, tutor vs. saboteur — or a character card.</span>
            </span>
            <Icon name="chevron" className="ml-auto size-4 text-zinc-500" />
          </button>
        </div>
        <section className="flex flex-col gap-2.5">
          <h3 className="text-[11px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Recent projects</h3>
          <RecentProjects />
        </section>
        <p className="text-center text-xs text-zinc-500">
          Just want to try a prompt?{" "}
          <button type="button" className="text-violet-300 hover:underline" onClick={() => showTab("playground")}>
            Open the playground
          </button>
          . In a tree, press <Kbd>?</Kbd> for the keyboard shortcuts.
        </p>
      </div>
      <FirstRunGate />
    </main>
  );
}

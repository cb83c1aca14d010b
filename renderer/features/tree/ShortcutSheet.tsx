import { Kbd } from "../../ui/Kbd";
import { Dialog } from "../../ui/Dialog";
import { shortcutGroups } from "./shortcuts";
import { useTreeView } from "./treeView";

/** The keyboard map as an overlay; ? or Escape closes it. */
export function ShortcutSheet() {
  const close = () => useTreeView.set({ sheetOpen: false });
  return (
    <Dialog title="Keyboard shortcuts" description="Active whenever the focus is not in a text field." onClose={close} className="w-[640px]" data-testid="shortcut-sheet">
      <div className="grid grid-cols-2 gap-x-8 gap-y-5">
        {shortcutGroups.map((group) => (
          <section key={group.title} className="flex flex-col gap-1.5">
            <h3 className="text-[10.5px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">{group.title}</h3>
            <dl className="flex flex-col gap-1.5">
              {group.keys.map(([keys, what]) => (
                <div key={what} className="flex items-center justify-between gap-3 text-xs">
                  <dt className="text-zinc-300">{what}</dt>
                  <dd className="flex shrink-0 items-center gap-1">
                    {keys.map((k) => (
                      <Kbd key={k}>{k}</Kbd>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}

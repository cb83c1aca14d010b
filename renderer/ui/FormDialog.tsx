import type { ReactNode } from "react";
import { Button } from "./Button";
import { Dialog, type DialogProps } from "./Dialog";

export interface FormDialogProps extends Omit<DialogProps, "footer" | "children"> {
  /** The primary button's label. */
  submitLabel: ReactNode;
  /** The primary button's test id (the README walkthroughs click it). */
  submitTestId: string;
  /** False greys the primary button out; Enter in a field does nothing then either. */
  canSubmit: boolean;
  onSubmit: () => void;
  /** The form's fields. */
  children: ReactNode;
  /** Laid out between the fields and the buttons, outside the form (errors, lists). */
  after?: ReactNode;
  /** Left of the buttons: why the form cannot be submitted yet. */
  footerNote?: ReactNode;
  formClassName?: string;
}

/**
 * A dialog around one form, with Cancel and a primary button. Enter in a field submits
 * like the button does (and only when it could be clicked).
 */
export function FormDialog({ submitLabel, submitTestId, canSubmit, onSubmit, children, after, footerNote, formClassName = "flex flex-col gap-4", ...dialog }: FormDialogProps) {
  return (
    <Dialog
      {...dialog}
      footer={
        <>
          {footerNote}
          <Button variant="ghost" onClick={dialog.onClose}>
            Cancel
          </Button>
          <Button variant="primary" data-testid={submitTestId} disabled={!canSubmit} onClick={onSubmit}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        className={formClassName}
        onSubmit={(e) => {
          e.preventDefault();
          if (canSubmit) onSubmit();
        }}
      >
        {children}
      </form>
      {after}
    </Dialog>
  );
}

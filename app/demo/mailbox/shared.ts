import { notFound } from "next/navigation";
import { demoMailboxDir, readMailbox, visibleEntries } from "@/lib/demo/mailbox";
import { requireActor } from "@/app/_server/guard";

/**
 * /demo/mailbox exists only while `npm run demo` runs (the launcher sets the mailbox
 * directory for the app); otherwise 404, signed in or not. Signed-in users see the
 * mails of their tenants and those addressed to them; consultants see all.
 */
export async function loadMailbox() {
  const dir = demoMailboxDir();
  if (!dir) notFound();
  const { db, actor } = await requireActor();
  const entries = await visibleEntries(db, actor, await readMailbox(dir));
  return { dir, actor, entries };
}

import { redirect } from "next/navigation";
import { homePath } from "@/lib/auth/access";
import { requireActor } from "./_server/guard";

export const dynamic = "force-dynamic";

export default async function Home() {
  const { db, actor } = await requireActor();
  redirect(await homePath(db, actor));
}

import { NotBuilt } from "@/components/not-built";
import { requireTenantPage } from "@/app/_server/guard";
import { sectionRoles } from "../sections";

export default async function Page({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireTenantPage(slug, sectionRoles("domain"));
  return <NotBuilt section="domain" />;
}

import { getTranslations } from "next-intl/server";
import type { ActionResult } from "@/lib/action-result";
import { ScrollTable } from "./scroll-table";
import { UserStatusToggle } from "./user-status-toggle";

type Action = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: "consultant" | "admin" | "trainer";
  disabledAt: Date | null;
}

export async function UserTable({
  users,
  selfId,
  toggle,
  tenantSlug,
}: {
  users: UserRow[];
  selfId: string;
  toggle: Action;
  tenantSlug?: string;
}) {
  const t = await getTranslations("users");
  const tc = await getTranslations("common");
  if (users.length === 0) return <p className="text-slate-700">{t("empty")}</p>;
  return (
    <ScrollTable label={t("title")}>
    <table className="w-full text-left text-sm">
      <thead className="border-b border-slate-200 text-slate-700">
        <tr>
          <th scope="col" className="py-2 pr-4 font-medium">{t("email")}</th>
          <th scope="col" className="py-2 pr-4 font-medium">{t("name")}</th>
          <th scope="col" className="py-2 pr-4 font-medium">{t("role")}</th>
          <th scope="col" className="py-2 pr-4 font-medium">{t("status")}</th>
          <th scope="col" className="py-2 font-medium"><span className="sr-only">{t("status")}</span></th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id} className="border-b border-slate-100" data-testid={`user-row-${u.email}`}>
            <td className="py-2 pr-4">
              {u.email} {u.id === selfId ? <span className="text-slate-600">{t("you")}</span> : null}
            </td>
            <td className="py-2 pr-4">{u.name}</td>
            <td className="py-2 pr-4">{tc(`roles.${u.role}`)}</td>
            <td className="py-2 pr-4">{u.disabledAt ? t("disabled") : t("active")}</td>
            <td className="py-2">
              {u.id === selfId ? null : (
                <UserStatusToggle
                  action={toggle}
                  userId={u.id}
                  disabled={Boolean(u.disabledAt)}
                  tenantSlug={tenantSlug}
                  label={u.disabledAt ? t("enable") : t("disable")}
                  accessibleLabel={`${u.disabledAt ? t("enable") : t("disable")}: ${u.email}`}
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </ScrollTable>
  );
}

"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The tenant's section navigation; marks the current page for screen readers. */
export function TenantNav({ label, items }: { label: string; items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label}>
      <ul className="flex flex-wrap gap-1 md:flex-col">
        {items.map((item) => {
          const current = item.href === pathname || (item.href.split("/").length > 3 && pathname.startsWith(item.href + "/"));
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={
                  current
                    ? "block rounded-md bg-brand-100 px-3 py-2 text-sm font-semibold text-brand-800"
                    : "block rounded-md px-3 py-2 text-sm text-slate-800 hover:bg-slate-200"
                }
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

import Link from "next/link";
import { getTranslations } from "next-intl/server";

/**
 * "Previous · Page n of N · Next" under a numbered list (tenants, the domain check's
 * history, the review board): plain links, so paging works without script. Nothing when
 * everything fits on one page.
 */
export async function Pager({ page, pages, href, label, testId }: { page: number; pages: number; href: (page: number) => string; label: string; testId?: string }) {
  if (pages <= 1) return null;
  const tc = await getTranslations("common");
  return (
    <nav aria-label={label} className="flex items-center gap-3 text-sm" data-testid={testId}>
      {page > 1 ? (
        <Link className="link" href={href(page - 1)}>
          {tc("previous")}
        </Link>
      ) : null}
      <span>{tc("pageOf", { page, pages })}</span>
      {page < pages ? (
        <Link className="link" href={href(page + 1)}>
          {tc("next")}
        </Link>
      ) : null}
    </nav>
  );
}

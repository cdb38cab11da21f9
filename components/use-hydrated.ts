import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** False in the server render and until this component has hydrated, true after. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

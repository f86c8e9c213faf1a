// Stands in for vite-plugin-pwa's virtual module in unit tests (no service worker in happy-dom):
// nothing to update. Tests of the update prompt replace it with vi.mock.
import { ref } from 'vue'

export function useRegisterSW(_options?: { immediate?: boolean }) {
  return { needRefresh: ref(false), offlineReady: ref(false), updateServiceWorker: async (_reload?: boolean) => undefined }
}

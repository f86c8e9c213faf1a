// Every unit test that touches IndexedDB gets a real implementation of the API, in memory.
import 'fake-indexeddb/auto'

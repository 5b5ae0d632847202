// What test/ui/packaged.mjs needs from the TypeScript sources, bundled by it into out/test-ui/:
// the scripted OpenAI-compatible server and the task tree as TaskTreeStore writes it.
export { ScriptedServer } from '../support/scriptedServer';
export { TaskTree } from '../../src/core/tasks/taskTree';
export { TaskTreeStore } from '../../src/core/tasks/treeStore';
export { NodeStateStore } from '../../src/node/nodeAdapters';

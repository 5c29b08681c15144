export type { RunContext as TaskContext, TaskResult } from '@ebm/demo-kit';
export { avg } from '@ebm/demo-kit';

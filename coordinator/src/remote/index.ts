export { RemoteTasks, type RemoteTasksOptions } from './remote-tasks.js';

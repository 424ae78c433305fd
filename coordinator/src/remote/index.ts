export { RemoteTasks } from './remote-tasks.js';

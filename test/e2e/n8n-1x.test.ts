import { describeEndToEnd } from './endToEnd';

describeEndToEnd('1.x');

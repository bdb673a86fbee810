import { describeEndToEnd } from './endToEnd';

describeEndToEnd('2.x');

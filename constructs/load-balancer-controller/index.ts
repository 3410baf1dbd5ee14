export { loadBalancerControllerPolicy, type LoadBalancerControllerPolicyProps } from './controller-policy.js';
export { LOAD_BALANCER_CONTROLLER_CHART, LoadBalancerController, type LoadBalancerControllerProps, type LoadBalancerControllerValues } from './load-balancer-controller.js';

/** Whether this browser shows notifications for us: supported, and allowed by the listener. */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

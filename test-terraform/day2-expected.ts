/**
 * What the real provider (5.100.0 here) plans for each change of scripts/day2/changes.ts, per stack: every
 * changed resource (address without the hash suffix) with its action, a RegExp for a plan it refuses.
 */
import type { PlannedAction } from "../scripts/day2/plan-runner";

export type Expected = Record<string, PlannedAction> | RegExp | "new stack: creates only";

export const EXPECTED: Record<string, Record<string, Expected>> = {
  "stage-rename": {
    "dev": {
      "aws_api_gateway_base_path_mapping.public-api-domain_version-v1": "update",
      "aws_api_gateway_base_path_mapping.public-api-domain_version-v2": "update",
      "aws_api_gateway_method_settings.public-api_method-settings": "replace (create before destroy)",
      "aws_api_gateway_stage.public-api_stage": "replace (create before destroy)",
      "aws_api_gateway_usage_plan.public-api-usage-plan": "update",
      "aws_cloudwatch_dashboard.dashboard": "update",
      "aws_cloudwatch_log_group.public-api_access-logs": "replace (create before destroy)",
      "aws_cloudwatch_log_group.public-api_canary-execution-logs": "replace (create before destroy)",
      "aws_cloudwatch_log_group.public-api_execution-logs": "replace (create before destroy)",
      "aws_cloudwatch_log_metric_filter.alarms_public-api-throttled-filter": "replace (destroy first)",
      "aws_cloudwatch_metric_alarm.alarms_public-api-4xx": "update",
      "aws_cloudwatch_metric_alarm.alarms_public-api-5xx": "update",
      "aws_cloudwatch_metric_alarm.alarms_public-api-integration-latency-p99": "update",
      "aws_cloudwatch_metric_alarm.alarms_public-api-latency-p99": "update",
    },
  },
  "edge-to-regional": {
    "dev": {
      "aws_api_gateway_base_path_mapping.public-api-domain_version-v1": "replace (destroy first)",
      "aws_api_gateway_base_path_mapping.public-api-domain_version-v2": "replace (destroy first)",
      "aws_api_gateway_domain_name.public-api-domain": "replace (destroy first)",
      "aws_api_gateway_rest_api.public-api": "update",
      "aws_iam_role.public-api_integration-role-events-put-record_role": "update",
      "aws_iam_role.public-api_integration-role-users-get-item_role": "update",
      "aws_lambda_permission.public-api_authorizer-invoke-tokens": "replace (create before destroy)",
      "aws_route53_record.public-api-domain_alias-a": "update",
      "terraform_data.public-api-domain_endpoint-type": "replace (destroy first)",
    },
  },
  "base-path-added": {
    "dev": {
      "aws_apigatewayv2_api_mapping.http-api-domain_mapping": "update",
    },
  },
  "domain-rename": {
    "dev": /Instance cannot be destroyed.*aws_route53_record\.http-api-domain_validation-record/,
  },
  "caching-on": {
    "dev": {
      "aws_api_gateway_method_settings.private-api_cache-GETfileskey": "create",
      "aws_api_gateway_method_settings.private-api_method-settings": "update",
      "aws_api_gateway_stage.private-api_stage": "update",
    },
  },
  "caching-off": {
    "dev": {
      "aws_api_gateway_method_settings.private-api_cache-GETfileskey": "delete",
      "aws_api_gateway_stage.private-api_stage": "update",
    },
  },
  "log-kms-key": {
    "dev": {
      "aws_cloudwatch_log_group.authorizer_logs": "update",
      "aws_cloudwatch_log_group.events-archive_logs": "update",
      "aws_cloudwatch_log_group.hello-get_logs": "update",
      "aws_cloudwatch_log_group.hello-post_logs": "update",
      "aws_cloudwatch_log_group.http-api_access-logs": "update",
      "aws_cloudwatch_log_group.object-reader_logs": "update",
      "aws_cloudwatch_log_group.orders_logs": "update",
      "aws_cloudwatch_log_group.private-api_access-logs": "update",
      "aws_cloudwatch_log_group.private-api_canary-execution-logs": "update",
      "aws_cloudwatch_log_group.private-api_execution-logs": "update",
      "aws_cloudwatch_log_group.products_logs": "update",
      "aws_cloudwatch_log_group.public-api_access-logs": "update",
      "aws_cloudwatch_log_group.public-api_canary-execution-logs": "update",
      "aws_cloudwatch_log_group.public-api_execution-logs": "update",
      "aws_cloudwatch_log_group.users_logs": "update",
      "aws_cloudwatch_log_group.websocket-api_access-logs": "update",
      "aws_cloudwatch_log_group.websocket-api_execution-logs": "update",
      "aws_cloudwatch_log_group.websocket-authorizer_logs": "update",
      "aws_cloudwatch_log_group.websocket-connect_logs": "update",
      "aws_cloudwatch_log_group.websocket-default_logs": "update",
      "aws_cloudwatch_log_group.websocket-disconnect_logs": "update",
      "aws_cloudwatch_log_group.websocket-messages_logs": "update",
      "aws_iam_role_policy.authorizer_environment-key-policy": "update",
      "aws_iam_role_policy.hello-get_environment-key-policy": "update",
      "aws_iam_role_policy.hello-post_environment-key-policy": "update",
      "aws_iam_role_policy.object-reader_environment-key-policy": "update",
      "aws_iam_role_policy.users_environment-key-policy": "update",
      "aws_iam_role_policy.websocket-authorizer_environment-key-policy": "update",
      "aws_iam_role_policy.websocket-connect_environment-key-policy": "update",
      "aws_iam_role_policy.websocket-disconnect_environment-key-policy": "update",
      "aws_iam_role_policy.websocket-messages_environment-key-policy": "update",
      "aws_lambda_function.authorizer_function": "update",
      "aws_lambda_function.hello-get_function": "update",
      "aws_lambda_function.hello-post_function": "update",
      "aws_lambda_function.object-reader_function": "update",
      "aws_lambda_function.users_function": "update",
      "aws_lambda_function.websocket-authorizer_function": "update",
      "aws_lambda_function.websocket-connect_function": "update",
      "aws_lambda_function.websocket-disconnect_function": "update",
      "aws_lambda_function.websocket-messages_function": "update",
    },
  },
  "version-removed": {
    "dev": {
      "aws_api_gateway_base_path_mapping.public-api-domain_version-v2": "delete",
    },
  },
  "ip-dualstack": {
    "dev": {
      "aws_api_gateway_rest_api.public-api": "update",
      "aws_iam_role.public-api_integration-role-events-put-record_role": "update",
      "aws_iam_role.public-api_integration-role-users-get-item_role": "update",
      "aws_lambda_permission.public-api_authorizer-invoke-tokens": "replace (create before destroy)",
    },
  },
  "compression": {
    "dev": {
      "aws_api_gateway_deployment.public-api_deployment": "replace (create before destroy)",
      "aws_api_gateway_rest_api_put.public-api_definition": "replace (create before destroy)",
      "aws_api_gateway_stage.public-api_stage": "update",
      "aws_lambda_permission.public-api_authorizer-invoke-tokens": "replace (create before destroy)",
    },
  },
  "queue-removed": {
    "dev": {
      "aws_apigatewayv2_integration.http-api_integration-orders-send-message": "delete",
      "aws_apigatewayv2_route.http-api_routePOSTordersqueue": "delete",
      "aws_cloudwatch_dashboard.dashboard": "update",
      "aws_cloudwatch_metric_alarm.alarms_orders-queue-dead-letters": "delete",
      "aws_cloudwatch_metric_alarm.alarms_orders-queue-oldest-message": "delete",
      "aws_iam_role_policy.http-api_integration-role-orders-send-message_policy": "delete",
      "aws_iam_role.http-api_integration-role-orders-send-message_role": "delete",
      "aws_sqs_queue_policy.orders-queue_policy": "delete",
      "aws_sqs_queue.orders-queue": "delete",
      "aws_sqs_queue.orders-queue_dead-letters": "delete",
    },
  },
  "shared-vpc-environment": {
    "dev": {
    },
    "endpoint-vpc-0a1b2c3d4e5f60718": {
      "aws_security_group.execute-api-endpoint_security-group": "update",
      "aws_vpc_endpoint.execute-api-endpoint": "update",
      "aws_vpc_security_group_ingress_rule.execute-api-endpoint_https-from-10-10-0-0-16": "update",
      "aws_vpc_security_group_ingress_rule.execute-api-endpoint_https-from-10-20-0-0-16": "create",
    },
    "qa": "new stack: creates only",
  },
  "function-rename": {
    "dev": {
      "aws_api_gateway_deployment.private-api_deployment": "replace (create before destroy)",
      "aws_api_gateway_rest_api_put.private-api_definition": "replace (create before destroy)",
      "aws_api_gateway_stage.private-api_stage": "update",
      "aws_cloudwatch_dashboard.dashboard": "update",
      "aws_cloudwatch_log_group.object-reader_logs": "replace (create before destroy)",
      "aws_cloudwatch_metric_alarm.alarms_function-object-reader": "update",
      "aws_iam_role_policy.object-reader_access-policy": "replace (create before destroy)",
      "aws_iam_role_policy.object-reader_environment-key-policy": "replace (create before destroy)",
      "aws_iam_role_policy.object-reader_logs-policy": "replace (create before destroy)",
      "aws_iam_role_policy.object-reader_tracing-policy": "replace (create before destroy)",
      "aws_iam_role.object-reader_role": "replace (create before destroy)",
      "aws_lambda_function.object-reader_function": "replace (create before destroy)",
      "aws_lambda_permission.private-api_invoke-object-readerGETfileskey": "replace (create before destroy)",
    },
  },
  "runtime-bump": {
    "dev": /expected runtime to be one of \[.*"nodejs22\.x"\], got nodejs24\.x/,
  },
  "rest-route-added": {
    "dev": {
      "aws_api_gateway_deployment.public-api_deployment": "replace (create before destroy)",
      "aws_api_gateway_rest_api_put.public-api_definition": "replace (create before destroy)",
      "aws_api_gateway_stage.public-api_stage": "update",
      "aws_lambda_permission.public-api_authorizer-invoke-tokens": "replace (create before destroy)",
      "aws_lambda_permission.public-api_invoke-hello-getGEThelloname": "create",
    },
  },
  "rest-route-removed": {
    "dev": {
      "aws_api_gateway_deployment.public-api_deployment": "replace (create before destroy)",
      "aws_api_gateway_rest_api_put.public-api_definition": "replace (create before destroy)",
      "aws_api_gateway_stage.public-api_stage": "update",
      "aws_lambda_function.authorizer_function": "update",
      "aws_lambda_permission.public-api_authorizer-invoke-tokens": "replace (create before destroy)",
      "aws_lambda_permission.public-api_invoke-hello-getGEThello": "delete",
    },
  },
  "http-route-added": {
    "dev": {
      "aws_apigatewayv2_route.http-api_routeDELETEordersid": "create",
      "aws_lambda_permission.http-api_invoke-ordersDELETEordersid": "create",
    },
  },
  "http-route-removed": {
    "dev": {
      "aws_apigatewayv2_route.http-api_routeGETordersid": "delete",
      "aws_lambda_permission.http-api_invoke-ordersGETordersid": "delete",
    },
  },
  "ws-route-added": {
    "dev": {
      "aws_apigatewayv2_route_response.websocket-api_route-responseunsubscribe": "create",
      "aws_apigatewayv2_route.websocket-api_routeunsubscribe": "create",
      "aws_lambda_permission.websocket-api_invoke-websocket-messagesunsubscribe": "create",
    },
  },
  "ws-route-removed": {
    "dev": {
      "aws_apigatewayv2_route_response.websocket-api_route-responsesubscribe": "delete",
      "aws_apigatewayv2_route.websocket-api_routesubscribe": "delete",
      "aws_lambda_permission.websocket-api_invoke-websocket-messagessubscribe": "delete",
    },
  },
  "events-stream-replaced": {
    "dev": {
      "aws_api_gateway_deployment.public-api_deployment": "replace (create before destroy)",
      "aws_api_gateway_rest_api_put.public-api_definition": "replace (create before destroy)",
      "aws_api_gateway_stage.public-api_stage": "update",
      "aws_cloudwatch_dashboard.dashboard": "update",
      "aws_cloudwatch_metric_alarm.alarms_events-stream-iterator-age": "update",
      "aws_cloudwatch_metric_alarm.alarms_events-stream-write-throttles": "update",
      "aws_iam_role_policy.events-archive_role-policy": "update",
      "aws_iam_role_policy.public-api_integration-role-events-put-record_policy": "update",
      "aws_iam_role.events-archive_role": "update",
      "aws_kinesis_firehose_delivery_stream.events-archive_delivery": "replace (destroy first)",
      "aws_kinesis_resource_policy.events-stream_policy": "replace (destroy first)",
      "aws_kinesis_stream.events-stream": "replace (destroy first)",
      "aws_lambda_permission.public-api_authorizer-invoke-tokens": "replace (create before destroy)",
    },
  },
};

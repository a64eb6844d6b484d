"""Type tokens of AWS's AI services (SageMaker), apart from aws.py so that concurrent
additions to either merge without conflict."""

SAGEMAKER_MODEL = "aws:sagemaker/model:Model"
SAGEMAKER_NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
SAGEMAKER_NOTEBOOK_LIFECYCLE = ("aws:sagemaker/notebookInstanceLifecycleConfiguration:"
                                "NotebookInstanceLifecycleConfiguration")
SAGEMAKER_TRAINING_JOB = "aws:sagemaker/trainingJob:TrainingJob"

# Resources that run as an IAM role, and the property naming it (pulumi-aws 7.x).
SAGEMAKER_EXECUTION_ROLES = {
    SAGEMAKER_MODEL: "executionRoleArn",
    SAGEMAKER_NOTEBOOK: "roleArn",
    SAGEMAKER_TRAINING_JOB: "roleArn",
}

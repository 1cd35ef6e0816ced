"""shopflow: charge an order on Amazon SWF, with a plain boto3 decider and worker."""

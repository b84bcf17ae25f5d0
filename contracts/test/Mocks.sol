// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AgentNexusEscrow} from "../src/AgentNexusEscrow.sol";

/// @notice Plain mintable ERC-20.
contract MockERC20 is ERC20 {
    constructor() ERC20("Mock", "MOCK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @notice ERC-20 that burns 1% on every transfer (unsupported by the escrow).
contract FeeOnTransferToken is ERC20 {
    constructor() ERC20("FeeOnTransfer", "FOT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 burnt = value / 100;
            super._update(from, address(0), burnt);
            value -= burnt;
        }
        super._update(from, to, value);
    }
}

/// @notice ERC-20 whose transfer/transferFrom return false without reverting.
contract FalseReturningToken {
    mapping(address => uint256) public balanceOf;

    function transfer(address, uint256) external pure returns (bool) {
        return false;
    }

    function transferFrom(address, address, uint256) external pure returns (bool) {
        return false;
    }
}

/// @notice Contract without receive/fallback: rejects ETH and ERC-1155 mints.
contract Rejecter {
    function deposit(AgentNexusEscrow escrow, bytes32 id, uint256 agentId) external payable {
        escrow.depositPayment{value: msg.value}(id, agentId, msg.value, address(0));
    }

    function refund(AgentNexusEscrow escrow, bytes32 id) external {
        escrow.refundPayment(id);
    }
}

/// @notice Re-enters the escrow from its ETH receive hook and records the revert data.
contract ReentrantAttacker {
    enum Mode {
        Release,
        Refund,
        Deposit
    }

    AgentNexusEscrow public immutable escrow;
    Mode public mode;
    bytes32 public target;
    bytes public lastError;
    uint256 public attempts;

    constructor(AgentNexusEscrow escrow_) {
        escrow = escrow_;
    }

    function arm(Mode mode_, bytes32 target_) external {
        mode = mode_;
        target = target_;
    }

    function deposit(bytes32 id, uint256 agentId) external payable {
        escrow.depositPayment{value: msg.value}(id, agentId, msg.value, address(0));
    }

    function refund(bytes32 id) external {
        escrow.refundPayment(id);
    }

    receive() external payable {
        attempts++;
        if (mode == Mode.Release) {
            try escrow.releasePayment(target) {} catch (bytes memory err) { lastError = err; }
        } else if (mode == Mode.Refund) {
            try escrow.refundPayment(target) {} catch (bytes memory err) { lastError = err; }
        } else {
            try escrow.depositPayment{value: 1}(target, 1, 1, address(0)) {} catch (bytes memory err) {
                lastError = err;
            }
        }
    }
}
